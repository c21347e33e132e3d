/** Public store configuration a storefront needs at start-up (cached in Redis). */
import { catalogCaches } from '../../cache/catalog-caches';
import { orUnavailable } from '../../db/unavailable';
import { StoreConfigSchema } from '../../domain/schemas/catalog';
import type { AppDeps } from '../deps';
import { sendCachedJson } from '../http-cache';
import type { RouteRegistrar } from '../route';

export function registerStoreRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const caches = catalogCaches(deps);
  route({
    method: 'get',
    path: '/v1/store/config',
    summary: 'Store configuration',
    description: 'Currencies the catalog is priced in, the low-stock threshold, enabled carriers and stock locations. ETag + 304.',
    tags: ['catalog'],
    auth: 'public',
    responses: {
      200: { description: 'The configuration', schema: StoreConfigSchema },
      304: { description: 'Not modified' },
    },
    errors: ['dependency_unavailable'],
    handler: async ({ req, res }) => {
      sendCachedJson(req, res, await orUnavailable(caches.storeConfig.get()), 'public, max-age=60');
    },
  });
}
