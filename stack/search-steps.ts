/**
 * The stack's search start-up: build the index from Postgres when it is missing or empty (the
 * first start, through the same reindex workflow as `POST /v1/admin/search/reindex`), then make
 * sure the outbox sync runs. Both idempotent: a second start finds the index and the running sync.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { liveIndexSize } from '../search/index-size';
import { ensureSearchKey } from '../search/keys';
import { createTemporalClient, temporalDataConverter } from '../temporal/client';
import { ensureSearchSync, reindexAndWait } from '../temporal/search-workflows';
import type { StackStep } from './step';

async function withTemporal<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, connection } = createTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
  });
  try {
    return await fn(client);
  } finally {
    await connection.close();
  }
}

export { liveIndexSize };

export const buildSearchIndexStep: StackStep = {
  name: 'search index: build from Postgres if missing or empty',
  async run({ config, log }) {
    const docs = await liveIndexSize(config);
    if (docs > 0) {
      log(`search index has ${docs} documents; kept (POST /v1/admin/search/reindex rebuilds it)`);
      return;
    }
    const p = await withTemporal(config, (client) => reindexAndWait(client, config));
    log(
      `search index built: ${p.indexed} products in ${((Date.parse(p.finishedAt ?? '') - Date.parse(p.startedAt)) / 1000).toFixed(1)} s (${p.docsPerSecond} docs/s)`,
    );
  },
};

export const startSearchSyncStep: StackStep = {
  name: 'search sync: start the outbox drain (workflow search-sync)',
  async run({ config, log }) {
    const { workflowId, runId } = await withTemporal(config, (client) => ensureSearchSync(client, config));
    log(`search sync running (${workflowId}, run ${runId})`);
  },
};

/**
 * The API's environment: the search-only key (created from the master key, search/keys.ts) and
 * no master key, so the process that takes user input cannot write to Meilisearch. An engine
 * without a master key (one the developer started) has no keys: the API then gets none either.
 */
export async function apiSearchEnv(config: Config, env: NodeJS.ProcessEnv, log: (msg: string) => void): Promise<NodeJS.ProcessEnv> {
  const apiEnv: NodeJS.ProcessEnv = { ...env };
  delete apiEnv.MEILI_MASTER_KEY;
  try {
    const key = await ensureSearchKey({
      url: config.MEILI_URL,
      masterKey: config.MEILI_MASTER_KEY,
      indexPrefix: config.MEILI_INDEX_PREFIX,
    });
    if (key) apiEnv.MEILI_SEARCH_KEY ??= key;
    log(key ? 'meilisearch: the API searches with a search-only key' : 'meilisearch: no master key, so no search key');
  } catch (err) {
    // e.g. a Meilisearch started by hand without a master key: it answers every request unkeyed.
    log(`meilisearch: no search-only key (${(err as Error).message}); the API searches unkeyed`);
  }
  return apiEnv;
}
