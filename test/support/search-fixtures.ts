/**
 * Products for search tests, written straight to Postgres (products + inventory_levels, and an
 * outbox row in the same transaction when asked — what the catalog and inventory writers do).
 * Every test makes its own unique skus, brands and categories, since a run shares one database.
 */

import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection';
import type { Database } from '../../db/database';
import { productsForIndex } from '../../db/queries/search-documents';
import type { Meilisearch } from '../../search/client';
import { toProductDocument } from '../../search/documents';
import { applyChanges, ensureProductIndex } from '../../search/indexes';
import { setStockLevel } from './fixtures';

/** Stock changes are recorded in the ledger by trigger, which wants to know why (inventory core). */
async function stockReason(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
}

export interface FixtureProduct {
  sku: string;
  name: string;
  brand: string;
  category: string;
  price: number;
  description?: string;
  /** Units on hand (one location); `reserved` of them held. */
  onHand: number;
  reserved?: number;
  createdAt?: Date;
  image?: string;
}

export interface InsertedProduct extends FixtureProduct {
  id: string;
}

export async function insertProducts(db: Db, items: FixtureProduct[], opts: { outbox?: boolean } = {}): Promise<InsertedProduct[]> {
  if (!items.length) return [];
  return db.transaction().execute(async (trx) => {
    await stockReason(trx);
    const rows = await trx
      .insertInto('products')
      .values(
        items.map((p) => ({
          sku: p.sku,
          name: p.name,
          description: p.description ?? `${p.name} by ${p.brand}`,
          brand: p.brand,
          category: p.category,
          price_amount: p.price,
          currency: 'USD',
          images: JSON.stringify(p.image ? [{ url: p.image, alt: p.name }] : []),
          attributes: JSON.stringify({}),
          ...(p.createdAt ? { created_at: p.createdAt } : {}),
        })),
      )
      .returning(['id', 'sku'])
      .execute();
    await trx
      .insertInto('inventory_levels')
      .values(items.map((p) => ({ sku: p.sku, location_id: 'wh-east', on_hand: p.onHand, reserved: p.reserved ?? 0 })))
      .execute();
    // reserved must equal the held reservations at commit: a fixture order holds those units.
    const held = items.filter((p) => (p.reserved ?? 0) > 0);
    if (held.length) {
      await trx
        .insertInto('reservations')
        .values(
          held.map((p) => ({
            order_id: `fixture:${p.sku}:wh-east`,
            sku: p.sku,
            location_id: 'wh-east',
            quantity: p.reserved ?? 0,
            status: 'held' as const,
            expires_at: new Date(Date.now() + 3_600_000),
          })),
        )
        .execute();
    }
    if (opts.outbox) {
      await trx
        .insertInto('outbox')
        .values(rows.map((r) => ({ topic: 'product' as const, aggregate_id: r.id, payload: JSON.stringify({ sku: r.sku, op: 'upsert' }) })))
        .execute();
    }
    const ids = new Map(rows.map((r) => [r.sku, r.id]));
    return items.map((p) => ({ ...p, id: ids.get(p.sku) as string }));
  });
}

/** A product change as the catalog writes it: the row and its outbox entry in one transaction. */
export async function updateProduct(db: Db, id: string, set: { name?: string; price_amount?: number; deleted?: boolean }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('products')
      .set({
        ...(set.name !== undefined ? { name: set.name } : {}),
        ...(set.price_amount !== undefined ? { price_amount: set.price_amount } : {}),
        ...(set.deleted ? { deleted_at: sql`now()` } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returning('sku')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('outbox')
      .values({ topic: 'product', aggregate_id: id, payload: JSON.stringify({ sku: row.sku, op: set.deleted ? 'delete' : 'upsert' }) })
      .execute();
  });
}

/** A stock change as inventory writes it (see `setStockLevel`), on every location row of the sku. */
export async function setStock(db: Db, sku: string, onHand: number, reserved = 0): Promise<void> {
  const locations = await db.selectFrom('inventory_levels').select('location_id').where('sku', '=', sku).execute();
  for (const { location_id } of locations) await setStockLevel(db, sku, location_id, onHand, reserved);
}

/** Indexes these products directly (no outbox): for tests of the search API itself. */
export async function indexProducts(db: Db, meili: Meilisearch, index: string, ids: string[], lowStockThreshold: number): Promise<void> {
  await ensureProductIndex(meili, index);
  const rows = await productsForIndex(db, { ids, skus: [] });
  await applyChanges(
    meili,
    index,
    rows.map((r) => toProductDocument(r, lowStockThreshold)),
    [],
  );
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`, { cause: last });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
