import { sql } from 'kysely';
import type { Db } from '../../db/connection';
import { uniqueId } from './config';

export interface ProductFixture {
  id: string;
  sku: string;
}

/**
 * Inserts a product and its stock per location (ledgered as an 'adjust'), for tests that need
 * their own isolated catalog rows in the shared per-run database.
 */
export async function createProduct(
  db: Db,
  opts: {
    sku?: string;
    name?: string;
    brand?: string;
    category?: string;
    priceAmount?: number;
    stock?: Record<string, number>;
    attributes?: Record<string, unknown>;
  } = {},
): Promise<ProductFixture> {
  const sku = opts.sku ?? uniqueId('SKU-');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('products')
      .values({
        sku,
        name: opts.name ?? `Test product ${sku}`,
        description: 'A product made by a test',
        brand: opts.brand ?? 'Testbrand',
        category: opts.category ?? 'Testing',
        price_amount: opts.priceAmount ?? 1999,
        currency: 'USD',
        images: JSON.stringify([{ url: `https://img.cathay.test/p/${sku}/1.jpg`, alt: sku }]),
        attributes: JSON.stringify(opts.attributes ?? { weightGrams: 500 }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stock = Object.entries(opts.stock ?? {});
    if (stock.length) {
      await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
      await trx
        .insertInto('inventory_levels')
        .values(stock.map(([location_id, on_hand]) => ({ sku, location_id, on_hand })))
        .execute();
    }
    return { id: row.id, sku };
  });
}

/**
 * Sets one (sku, location) to `onHand` with `reserved` units held, the way the books allow: the
 * level (ledgered by the trigger as an 'adjust'), a held reservation of a fixture order carrying
 * the reserved units (reserved must equal the held reservations at commit), and a 'stock' outbox
 * row — one transaction.
 */
export async function setStockLevel(db: Db, sku: string, locationId: string, onHand: number, reserved = 0): Promise<void> {
  const fixtureOrder = `fixture:${sku}:${locationId}`;
  await db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
    if (reserved > 0) {
      await trx
        .insertInto('reservations')
        .values({
          order_id: fixtureOrder,
          sku,
          location_id: locationId,
          quantity: reserved,
          status: 'held',
          expires_at: new Date(Date.now() + 3_600_000),
        })
        .onConflict((oc) => oc.columns(['order_id', 'sku', 'location_id']).doUpdateSet({ quantity: reserved, status: 'held' }))
        .execute();
    } else {
      await trx.updateTable('reservations').set({ status: 'released' }).where('order_id', '=', fixtureOrder).execute();
    }
    await trx
      .updateTable('inventory_levels')
      .set({ on_hand: onHand, reserved, updated_at: sql`now()` })
      .where('sku', '=', sku)
      .where('location_id', '=', locationId)
      .execute();
    await trx.insertInto('outbox').values({ topic: 'stock', aggregate_id: sku, payload: '{}' }).execute();
  });
}
