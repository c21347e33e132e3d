/**
 * The catalog's caches for one set of API dependencies, built once (memoized per deps object) so
 * the detail route and the admin routes share one in-flight map and one "Redis is down" state.
 * The database is read through `deps.db` at call time (tests may wrap it to count queries).
 */
import type { Config } from '../config';
import type { Db } from '../db/connection';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { ProductCache } from './product-cache';
import { ProductListCache } from './product-list-cache';
import { ReadThroughCache } from './read-through';
import type { Redis } from './redis';
import { StoreConfigCache } from './store-config-cache';

export interface CatalogCacheDeps {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  metrics: Metrics;
}

export interface CatalogCaches {
  readThrough: ReadThroughCache;
  products: ProductCache;
  productLists: ProductListCache;
  storeConfig: StoreConfigCache;
}

const memo = new WeakMap<CatalogCacheDeps, CatalogCaches>();

export function catalogCaches(deps: CatalogCacheDeps): CatalogCaches {
  let caches = memo.get(deps);
  if (!caches) {
    const readThrough = new ReadThroughCache({
      redis: deps.redis,
      logger: deps.logger,
      metrics: deps.metrics,
      enabled: deps.config.CACHE_ENABLED,
    });
    caches = {
      readThrough,
      products: new ProductCache(readThrough, () => deps.db, deps.config),
      productLists: new ProductListCache(readThrough, () => deps.db, deps.config),
      storeConfig: new StoreConfigCache(readThrough, () => deps.db, deps.config),
    };
    memo.set(deps, caches);
  }
  return caches;
}
