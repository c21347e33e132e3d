/**
 * Reads what the search index needs: product rows with their availability (on hand − reserved
 * summed across locations), by keyset page (full reindex) or by id/sku (outbox sync).
 */
import { type Kysely, sql } from 'kysely';
import type { Database, ProductRow } from '../database';

/** A product's columns (from the `Database` type) plus what can still be sold across locations. */
export type IndexableRow = Pick<
  ProductRow,
  'id' | 'sku' | 'name' | 'brand' | 'category' | 'description' | 'price_amount' | 'currency' | 'images' | 'created_at' | 'deleted_at'
> & { available: number };

const AVAILABLE_SUM = sql`COALESCE((SELECT SUM(il.on_hand - il.reserved) FROM inventory_levels il WHERE il.sku = p.sku), 0)`;

function baseQuery(db: Kysely<Database>) {
  return db.selectFrom('products as p').select([
    'p.id',
    'p.sku',
    'p.name',
    'p.brand',
    'p.category',
    'p.description',
    'p.price_amount',
    'p.currency',
    'p.images',
    'p.created_at',
    'p.deleted_at',
    // Capped at the int4 maximum: several locations each near it would overflow the cast (22003).
    sql<number>`LEAST(${AVAILABLE_SUM}, 2147483647)::int`.as('available'),
  ]);
}

/** Live (not deleted) products after `afterId` in id order: one page of a full reindex. */
export async function productsPageForIndex(db: Kysely<Database>, afterId: string | null, limit: number): Promise<IndexableRow[]> {
  let q = baseQuery(db).where('p.deleted_at', 'is', null);
  if (afterId) q = q.where('p.id', '>', afterId);
  return (await q.orderBy('p.id').limit(limit).execute()) as IndexableRow[];
}

/** Products (deleted ones too) by id or by sku, for the sync to upsert or remove. */
export async function productsForIndex(
  db: Kysely<Database>,
  where: { ids: readonly string[]; skus: readonly string[] },
): Promise<IndexableRow[]> {
  if (!where.ids.length && !where.skus.length) return [];
  const rows = await baseQuery(db)
    .where((eb) => {
      const ors = [];
      if (where.ids.length) ors.push(eb('p.id', 'in', [...where.ids]));
      if (where.skus.length) ors.push(eb('p.sku', 'in', [...where.skus]));
      return eb.or(ors);
    })
    .execute();
  return rows as IndexableRow[];
}

export async function countLiveProducts(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
