/**
 * Product detail through the read-through cache. What is cached is the response itself — the
 * serialized JSON and its strong ETag (cached-response.ts) — so a hit costs one Redis round trip
 * and no re-serialization. Misses for unknown products are cached briefly too (a negative entry), so a
 * crawler walking bad skus does not reach Postgres on every request; creating the product evicts it.
 */
import type { Config } from '../config';
import type { Db } from '../db/connection';
import { findProduct } from '../db/queries/products';
import { isUuidShaped } from '../domain/schemas/catalog';
import { type CachedResponse, decodeResponse, encodeResponse } from './cached-response';
import { productKeyFor, productKeys } from './keys';
import type { ReadThroughCache } from './read-through';

export class ProductCache {
  constructor(
    private readonly cache: ReadThroughCache,
    private readonly db: () => Db,
    private readonly config: Pick<Config, 'LOW_STOCK_THRESHOLD' | 'CACHE_PRODUCT_TTL_SECONDS' | 'CACHE_NOT_FOUND_TTL_SECONDS'>,
  ) {}

  /** The detail response of a live product, or undefined (404). */
  async detail(idOrSku: string): Promise<CachedResponse | undefined> {
    const entry = await this.cache.get(productKeyFor(idOrSku), 'product_detail', async () => {
      const product = await findProduct(this.db(), idOrSku, isUuidShaped(idOrSku), this.config.LOW_STOCK_THRESHOLD);
      return {
        value: encodeResponse(product && JSON.stringify(product)),
        ttlSeconds: product ? this.config.CACHE_PRODUCT_TTL_SECONDS : this.config.CACHE_NOT_FOUND_TTL_SECONDS,
      };
    });
    return decodeResponse(entry);
  }

  /** Evicts a product's entries right after a write this process committed (the outbox does it too). */
  async evict(product: { id: string; sku: string }): Promise<void> {
    await this.cache.evict(productKeys(product), 'product_evict');
  }
}
