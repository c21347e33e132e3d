/**
 * Product list pages through the read-through cache, as ready-to-send responses (ETag + JSON).
 * Every page belongs to one group (keys.ts PRODUCT_LIST_GROUP): any product or stock change bumps
 * the group's generation through the outbox, which retires every cached page at once — a page is
 * never served after the invalidator has seen a change it reflects. Keys are the normalized query
 * (value order and duplicates in `category`, `brand`, `fields` do not matter).
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db/connection';
import { type ListPage, listProductSummaries, type ProductListFilter } from '../db/queries/products';
import { encodeCursor } from '../domain/cursor';
import { type CachedResponse, decodeResponse, encodeResponse } from './cached-response';
import { PRODUCT_LIST_GROUP, productListKey } from './keys';
import type { ReadThroughCache } from './read-through';

const sortedUnique = (v: readonly string[] | undefined) => (v?.length ? [...new Set(v)].sort() : null);

export function normalizedListQuery(filter: ProductListFilter, page: Omit<ListPage, 'lowStockThreshold'>): string {
  const canonical = [
    sortedUnique(filter.categories),
    sortedUnique(filter.brands),
    filter.minPrice ?? null,
    filter.maxPrice ?? null,
    page.limit,
    page.afterId ?? null,
    sortedUnique(page.fields),
  ];
  return createHash('sha1').update(JSON.stringify(canonical)).digest('base64url');
}

export class ProductListCache {
  constructor(
    private readonly cache: ReadThroughCache,
    private readonly db: () => Db,
    private readonly config: Pick<Config, 'LOW_STOCK_THRESHOLD' | 'CACHE_LIST_TTL_SECONDS'>,
  ) {}

  async page(filter: ProductListFilter, page: Omit<ListPage, 'lowStockThreshold'>): Promise<CachedResponse> {
    const key = productListKey(normalizedListQuery(filter, page));
    const entry = await this.cache.get(
      key,
      'product_list',
      async () => {
        const result = await listProductSummaries(this.db(), filter, { ...page, lowStockThreshold: this.config.LOW_STOCK_THRESHOLD });
        const nextCursor = result.hasMore && result.lastId ? encodeCursor({ id: result.lastId }) : null;
        return {
          value: encodeResponse(JSON.stringify({ data: result.items, nextCursor })),
          ttlSeconds: this.config.CACHE_LIST_TTL_SECONDS,
        };
      },
      PRODUCT_LIST_GROUP,
    );
    const response = decodeResponse(entry);
    if (!response) throw new Error('product list cache entry is malformed');
    return response;
  }
}
