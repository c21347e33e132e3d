/**
 * Product detail through the read-through cache. What is cached is the response itself — the
 * serialized JSON and its strong ETag — so a hit costs one Redis round trip and no
 * re-serialization. Misses for unknown products are cached briefly too (a negative entry), so a
 * crawler walking bad skus does not reach Postgres on every request; creating the product evicts it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db/connection';
import { findProduct } from '../db/queries/products';
import { isUuidShaped, type Product } from '../domain/schemas/catalog';
import { productKeyFor, productKeys } from './keys';
import type { ReadThroughCache } from './read-through';

export interface CachedResponse {
  etag: string;
  body: string;
}

/** Strong ETag of a serialized body (same bytes ⇔ same tag, across processes). */
export function strongEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function serializeProduct(product: Product): CachedResponse {
  const body = JSON.stringify(product);
  return { etag: strongEtag(body), body };
}

/** Entry format: `<etag>\n<json>`; a lone `\n` means "no such product". */
function encode(r: CachedResponse | undefined): string {
  return r ? `${r.etag}\n${r.body}` : '\n';
}

function decode(entry: string): CachedResponse | undefined {
  const nl = entry.indexOf('\n');
  if (nl <= 0) return undefined;
  return { etag: entry.slice(0, nl), body: entry.slice(nl + 1) };
}

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
        value: encode(product && serializeProduct(product)),
        ttlSeconds: product ? this.config.CACHE_PRODUCT_TTL_SECONDS : this.config.CACHE_NOT_FOUND_TTL_SECONDS,
      };
    });
    return decode(entry);
  }

  /** Evicts a product's entries right after a write this process committed (the outbox does it too). */
  async evict(product: { id: string; sku: string }): Promise<void> {
    await this.cache.evict(productKeys(product), 'product_evict');
  }
}
