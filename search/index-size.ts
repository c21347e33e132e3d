import type { Config } from '../config';
import { createMeili, productIndexes } from './client';
import { meiliErrorCode } from './errors';

/** Documents in the live product index; 0 when it does not exist yet. */
export async function liveIndexSize(config: Pick<Config, 'MEILI_URL' | 'MEILI_MASTER_KEY' | 'MEILI_INDEX_PREFIX'>): Promise<number> {
  const meili = createMeili({ url: config.MEILI_URL, apiKey: config.MEILI_MASTER_KEY, timeoutMs: 5_000 });
  try {
    return (await meili.index(productIndexes(config.MEILI_INDEX_PREFIX).live).getStats()).numberOfDocuments;
  } catch (err) {
    if (meiliErrorCode(err) === 'index_not_found') return 0;
    throw err;
  }
}
