/**
 * The production-like catalog seed: `seedCatalog(db, { count })` fills an empty catalog with
 * `count` deterministic products (see generate-products.ts), their stock at every location and a
 * stock ledger that balances. Everything a caller may need is re-exported here.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';
import { type InsertRangeOptions, insertProductRange } from './insert';

export * from './brands';
export * from './categories';
export * from './generate-products';
export * from './insert';
export { CATALOG_SEED } from './rng';
export * from './stock';

export interface SeedCatalogOptions extends Omit<InsertRangeOptions, 'first' | 'count'> {
  /** How many products (config SEED_PRODUCTS). */
  count: number;
  /** Run ANALYZE on the seeded tables afterwards (default true), so the planner knows their size. */
  analyze?: boolean;
}

export interface SeedCatalogResult {
  /** False when the catalog already had products: nothing was written. */
  seeded: boolean;
  products: number;
  inventoryLevels: number;
  movements: number;
  elapsedMs: number;
}

/** Serializes concurrent seeders (two dev processes starting at once) on one database. */
const SEED_LOCK = sql`hashtext('cathay:seed-catalog')`;

/**
 * Seeds products 1..count when the products table is empty, else returns `{ seeded: false }`.
 * Holds a session advisory lock on one connection meanwhile: a second seeder waits for the first
 * and then finds the table full. With the default concurrency of 1 the batches go through that same
 * connection (a pool of one is enough); with `concurrency: n` they use n more pooled connections.
 */
export async function seedCatalog(db: Kysely<Database>, opts: SeedCatalogOptions): Promise<SeedCatalogResult> {
  const started = performance.now();
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${SEED_LOCK})`.execute(conn);
    try {
      const existing = await conn.selectFrom('products').select('sku').limit(1).executeTakeFirst();
      if (existing) {
        return { seeded: false, products: 0, inventoryLevels: 0, movements: 0, elapsedMs: Math.round(performance.now() - started) };
      }
      const concurrency = opts.concurrency ?? 1;
      const counts = await insertProductRange(concurrency > 1 ? db : conn, { ...opts, first: 1, count: opts.count });
      if (opts.analyze !== false) await sql`ANALYZE products, inventory_levels, stock_movements`.execute(conn);
      return { seeded: true, ...counts, elapsedMs: Math.round(performance.now() - started) };
    } finally {
      await sql`SELECT pg_advisory_unlock(${SEED_LOCK})`.execute(conn);
    }
  });
}
