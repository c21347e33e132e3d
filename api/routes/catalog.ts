/** Public catalog: the product list (filters, keyset pages, sparse fields) and product detail. */
import { catalogCaches } from '../../cache/catalog-caches';
import { orUnavailable } from '../../db/unavailable';
import { decodeCursor } from '../../domain/cursor';
import { AppError } from '../../domain/errors';
import { ProductIdOrSkuParams, ProductListQuerySchema, ProductListSchema, ProductSchema } from '../../domain/schemas/catalog';
import { z } from '../../domain/schemas/common';
import type { AppDeps } from '../deps';
import { sendCachedJson } from '../http-cache';
import type { RouteRegistrar } from '../route';

const CursorPosition = z.object({ id: z.uuid() });

export function registerCatalogRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const caches = catalogCaches(deps);

  route({
    method: 'get',
    path: '/v1/products',
    summary: 'List products',
    description:
      'Live products in a stable order (by id), filtered by category and brand (each repeatable: OR within a field, ' +
      'AND across fields) and an inclusive price range in minor units. Keyset pagination: pass `nextCursor` back as ' +
      '`cursor`; pages stay consistent while products are added. `fields=id,name,price` returns only those summary fields. ' +
      'A bad parameter (negative or non-integer price, maxPrice < minPrice, limit outside 1–100, unknown field or ' +
      'parameter, foreign cursor) is a 400 `invalid_request` naming it in `errors[].path`. Pages are served from Redis ' +
      'when cached and retired by any product or stock change; strong `ETag`, 304 on `If-None-Match`.',
    tags: ['catalog'],
    auth: 'public',
    query: ProductListQuerySchema,
    responses: {
      200: { description: 'A page of product summaries (with a strong ETag)', schema: ProductListSchema },
      304: { description: 'Not modified (If-None-Match matched)' },
    },
    errors: ['dependency_unavailable'],
    handler: async ({ req, query, res }) => {
      let afterId: string | undefined;
      if (query.cursor !== undefined) {
        afterId = decodeCursor(query.cursor, CursorPosition)?.id;
        if (!afterId) {
          throw new AppError('invalid_request', 'Invalid query: cursor', {
            errors: [{ path: 'cursor', message: 'not a cursor issued by this endpoint' }],
          });
        }
      }
      const page = await orUnavailable(
        caches.productLists.page(
          { categories: query.category, brands: query.brand, minPrice: query.minPrice, maxPrice: query.maxPrice },
          { limit: query.limit, afterId, fields: query.fields },
        ),
      );
      sendCachedJson(req, res, page);
    },
  });

  route({
    method: 'get',
    path: '/v1/products/{idOrSku}',
    summary: 'Product detail',
    description:
      'The full product with live availability (on hand − reserved across locations). Sends a strong `ETag` and ' +
      '`Cache-Control: public, max-age=0, must-revalidate`; `If-None-Match` with the current tag gives 304. ' +
      'Served from Redis when cached; product and stock changes evict the entry within about a second.',
    tags: ['catalog'],
    auth: 'public',
    params: ProductIdOrSkuParams,
    responses: {
      200: { description: 'The product', schema: ProductSchema },
      304: { description: 'Not modified (If-None-Match matched the current ETag)' },
    },
    errors: ['product_not_found', 'dependency_unavailable'],
    handler: async ({ req, res, params }) => {
      const found = await orUnavailable(caches.products.detail(params.idOrSku));
      if (!found) throw new AppError('product_not_found', `No product with id or sku "${params.idOrSku}"`);
      sendCachedJson(req, res, found);
    },
  });
}
