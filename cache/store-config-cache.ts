/**
 * Store configuration (currencies the catalog is priced in, low-stock threshold, enabled
 * carriers, stock locations) through the read-through cache: the currency list is a scan of
 * the catalog, so it is computed once per TTL or product change, not per storefront page view.
 */
import type { Config } from '../config';
import type { Db } from '../db/connection';
import { liveCurrencies } from '../db/queries/products';
import { LOCATIONS } from '../domain/db-enums';
import type { StoreConfig } from '../domain/schemas/catalog';
import { type CachedResponse, decodeResponse, encodeResponse } from './cached-response';
import { STORE_CONFIG_KEY } from './keys';
import type { ReadThroughCache } from './read-through';

export function enabledCarriers(config: Pick<Config, 'CARRIERS_ENABLED'>): string[] {
  return config.CARRIERS_ENABLED.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export class StoreConfigCache {
  constructor(
    private readonly cache: ReadThroughCache,
    private readonly db: () => Db,
    private readonly config: Pick<Config, 'LOW_STOCK_THRESHOLD' | 'CARRIERS_ENABLED' | 'CACHE_STORE_CONFIG_TTL_SECONDS'>,
  ) {}

  async get(): Promise<CachedResponse> {
    const entry = await this.cache.get(STORE_CONFIG_KEY, 'store_config', async () => {
      const value: StoreConfig = {
        currencies: await liveCurrencies(this.db()),
        lowStockThreshold: this.config.LOW_STOCK_THRESHOLD,
        carriersEnabled: enabledCarriers(this.config),
        locations: [...LOCATIONS],
      };
      return { value: encodeResponse(JSON.stringify(value)), ttlSeconds: this.config.CACHE_STORE_CONFIG_TTL_SECONDS };
    });
    const response = decodeResponse(entry);
    if (!response) throw new Error('store config cache entry is malformed');
    return response;
  }
}
