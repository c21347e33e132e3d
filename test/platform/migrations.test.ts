/** Migrations go up, down and up again on a database of their own. */
import { sql } from 'kysely';
import { createDb } from '../../db/connection';
import { dropDatabase, ensureDatabase } from '../../db/ensure-database';
import { migrateDown, migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';

const url = `${process.env.DATABASE_URL}_mig`;

afterAll(async () => dropDatabase(url));

test('up → down (all) → up leaves every table and constraint in place', async () => {
  await ensureDatabase(url);
  const db = createDb({ connectionString: url, max: 1 });
  try {
    await migrateToLatest(db);
    const tables = async () =>
      (
        await sql<{
          table_name: string;
        }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY 1`.execute(
          db,
        )
      ).rows.map((r) => r.table_name);
    const expected = [
      'idempotency_keys',
      'inventory_levels',
      'order_events',
      'order_lines',
      'orders',
      'outbox',
      'products',
      'reservations',
      'shipments',
      'stock_movements',
    ];
    expect(await tables()).toEqual(expect.arrayContaining(expected));
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db);
    expect(await tables()).toEqual([]);
    await migrateToLatest(db);
    expect(await tables()).toEqual(expect.arrayContaining(expected));

    // The reserved-range CHECK holds at the database level.
    await sql`INSERT INTO products (sku, name, brand, category, price_amount) VALUES ('M-1', 'n', 'b', 'c', 100)`.execute(db);
    await expect(
      sql`INSERT INTO inventory_levels (sku, location_id, on_hand, reserved) VALUES ('M-1', 'wh-east', 1, 2)`.execute(db),
    ).rejects.toThrow(/inventory_levels_reserved_range/);
  } finally {
    await db.destroy();
  }
});
