/**
 * The catalog's cache keys (owned here; other areas never write them). A product detail is
 * cached under the identifier it was asked by, so an invalidation evicts both forms.
 *
 * User input never shapes a key's structure: its part is percent-encoded (`keyPart`), so it
 * holds no `:` and cannot reach another key's namespace — `GET /v1/products/X%3Agen` once cached
 * a not-found marker under the generation counter of sku X (cache/read-through.ts appends
 * `:gen`), and the invalidator's INCR on it failed.
 */
import { isUuidShaped } from '../domain/schemas/catalog';

export const STORE_CONFIG_KEY = 'store:config:v1';
/** The group of every product list page: any product or stock change evicts them all at once. */
export const PRODUCT_LIST_GROUP = 'product-list:v1';

export function productListKey(normalizedQuery: string): string {
  return `${PRODUCT_LIST_GROUP}:${normalizedQuery}`;
}

/** A user-supplied key segment: percent-encoded, so it never contains the `:` separator. */
export function keyPart(s: string): string {
  return encodeURIComponent(s);
}

export function productKeyFor(idOrSku: string): string {
  return isUuidShaped(idOrSku) ? `product:v1:id:${keyPart(idOrSku.toLowerCase())}` : `product:v1:sku:${keyPart(idOrSku)}`;
}

/** Everything a change of this product invalidates: its detail by sku and by id, and the list pages. */
export function productKeys(product: { id?: string; sku: string }): string[] {
  const keys = [`product:v1:sku:${keyPart(product.sku)}`];
  if (product.id) keys.push(`product:v1:id:${keyPart(product.id.toLowerCase())}`);
  keys.push(PRODUCT_LIST_GROUP);
  return keys;
}
