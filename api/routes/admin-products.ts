/**
 * Admin catalog writes. Each one is a single Postgres transaction with its outbox row (search
 * and the cache invalidator pick it up); on top of that this process evicts the product's cache
 * entries right after the commit, so the admin's next read is fresh even before the outbox drains.
 */
import { catalogCaches } from '../../cache/catalog-caches';
import { createProduct, deleteProduct, updateProduct } from '../../db/queries/products';
import { orUnavailable } from '../../db/unavailable';
import { AppError } from '../../domain/errors';
import { ProductCreateSchema, ProductIdParams, ProductPatchSchema, ProductSchema } from '../../domain/schemas/catalog';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

/** Money in another currency than the store's is refused (contract v1.1 "Hostile input"). */
function requireStoreCurrency(price: { currency: string } | undefined, storeCurrency: string): void {
  if (price && price.currency !== storeCurrency) {
    throw new AppError('invalid_request', `Invalid body: price.currency`, {
      errors: [{ path: 'price.currency', message: `must be the store's currency, ${storeCurrency}` }],
    });
  }
}

function notFound(id: string): AppError {
  return new AppError('product_not_found', `No live product with id "${id}"`);
}

export function registerAdminProductRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const caches = catalogCaches(deps);
  const threshold = () => deps.config.LOW_STOCK_THRESHOLD;

  route({
    method: 'post',
    path: '/v1/admin/products',
    summary: 'Create a product',
    description:
      'Creates the product with stock rows at 0 in every location. A sku is unique forever (a deleted product keeps ' +
      'its sku): reusing one is a 409 `duplicate_sku` with `errors: [{ path: "sku" }]`. The answer carries `Location`.',
    tags: ['admin'],
    auth: ['admin'],
    body: ProductCreateSchema,
    responses: { 201: { description: 'Created', schema: ProductSchema } },
    errors: ['duplicate_sku', 'dependency_unavailable'],
    handler: async ({ body, res, log }) => {
      requireStoreCurrency(body.price, deps.config.STORE_CURRENCY);
      const product = await orUnavailable(createProduct(deps.db, body, threshold()));
      // A "no such product" entry may be cached for this sku: evict it.
      await caches.products.evict(product);
      log.info({ productId: product.id, sku: product.sku }, 'product created');
      res.status(201).setHeader('Location', `/v1/products/${product.id}`);
      return product;
    },
  });

  route({
    method: 'patch',
    path: '/v1/admin/products/{id}',
    summary: 'Update a product',
    description:
      'Partial update: only the fields sent change; `images` and `attributes` are replaced as a whole. `sku` is immutable. ' +
      'An empty body (`{}`) is a 400: send at least one field.',
    tags: ['admin'],
    auth: ['admin'],
    params: ProductIdParams,
    body: ProductPatchSchema,
    responses: { 200: { description: 'The updated product', schema: ProductSchema } },
    errors: ['product_not_found', 'dependency_unavailable'],
    handler: async ({ params, body, log }) => {
      requireStoreCurrency(body.price, deps.config.STORE_CURRENCY);
      const product = await orUnavailable(updateProduct(deps.db, params.id, body, threshold()));
      if (!product) throw notFound(params.id);
      await caches.products.evict(product);
      log.info({ productId: product.id, sku: product.sku, fields: Object.keys(body) }, 'product updated');
      return product;
    },
  });

  route({
    method: 'delete',
    path: '/v1/admin/products/{id}',
    summary: 'Delete a product',
    description: 'Soft delete: the product disappears from the catalog (404); orders and the stock ledger keep their history.',
    tags: ['admin'],
    auth: ['admin'],
    params: ProductIdParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['product_not_found', 'dependency_unavailable'],
    handler: async ({ params, res, log }) => {
      const deleted = await orUnavailable(deleteProduct(deps.db, params.id));
      if (!deleted) throw notFound(params.id);
      await caches.products.evict(deleted);
      log.info({ productId: deleted.id, sku: deleted.sku }, 'product deleted');
      res.status(204).end();
    },
  });
}
