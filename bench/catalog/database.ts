/**
 * The catalog benchmarks' database: cathay_bench_catalog next to DATABASE_URL's, migrated and
 * seeded with BENCH_CATALOG_PRODUCTS products (20k by default; kept between runs), and the
 * product skus and filtered list queries the load rotates through.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../config';
import { createDb } from '../../db/connection';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { seedCatalog } from '../../db/seed';

/** Distinct products (and list queries) a case rotates through. */
const PATHS = 500;

export async function prepareCatalogDatabase(): Promise<{ url: string; skus: string[]; listQueries: string[] }> {
  const base = new URL(loadConfig().DATABASE_URL);
  base.pathname = '/cathay_bench_catalog';
  const url = base.toString();
  await ensureDatabase(url);
  const db = createDb({ connectionString: url, max: 3 });
  try {
    await migrateToLatest(db);
    const count = Number(process.env.BENCH_CATALOG_PRODUCTS ?? 20_000);
    const seeded = await seedCatalog(db, { count, batchSize: 1_000, concurrency: 2 });
    if (seeded.seeded) console.error(`[bench] seeded ${seeded.products} products in ${seeded.elapsedMs} ms`);
    await sql`ANALYZE products, inventory_levels`.execute(db);
    // Many distinct products and list queries, rotated per request: cache hits are spread over
    // many keys, and the bypassed cases really query Postgres (identical concurrent requests would
    // be coalesced by the single flight into one query, which would flatter them).
    const products = await sql<{ sku: string }>`
      SELECT p.sku FROM products p JOIN inventory_levels l USING (sku)
      WHERE p.deleted_at IS NULL GROUP BY p.sku HAVING sum(l.on_hand - l.reserved) > 10 ORDER BY p.sku LIMIT ${PATHS}`.execute(db);
    const cat = await sql<{ category: string; median: number }>`
      SELECT category, percentile_disc(0.5) WITHIN GROUP (ORDER BY price_amount) AS median
      FROM products WHERE deleted_at IS NULL GROUP BY category ORDER BY count(*) DESC LIMIT 1`.execute(db);
    const c = cat.rows[0]!;
    const listQueries = Array.from(
      { length: PATHS },
      (_, i) => `category=${encodeURIComponent(c.category)}&maxPrice=${c.median + i}&limit=20`,
    );
    return { url, skus: products.rows.map((r) => r.sku), listQueries };
  } finally {
    await db.destroy();
  }
}
