/**
 * The catalog's cache keys (owned here; other areas never write them). A product detail is
 * cached under the identifier it was asked by, so an invalidation evicts both forms.
 */
import { isUuidShaped } from '../domain/schemas/catalog';

export const STORE_CONFIG_KEY = 'store:config:v1';

export function productKeyFor(idOrSku: string): string {
  return isUuidShaped(idOrSku) ? `product:v1:id:${idOrSku.toLowerCase()}` : `product:v1:sku:${idOrSku}`;
}

export function productKeys(product: { id?: string; sku: string }): string[] {
  const keys = [`product:v1:sku:${product.sku}`];
  if (product.id) keys.push(`product:v1:id:${product.id.toLowerCase()}`);
  return keys;
}
