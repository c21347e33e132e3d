/** Shipping weights of products by sku (live products only), from `attributes.weightGrams`. */
import { weightFromAttributes } from '../../domain/shipping/parcels';
import type { Db } from '../connection';

export async function loadProductWeights(db: Db, skus: readonly string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['sku', 'attributes'])
    .where('sku', 'in', [...skus])
    .where('deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.sku, weightFromAttributes(r.attributes)]));
}
