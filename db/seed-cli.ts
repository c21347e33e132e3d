/**
 * `npm run seed`: creates the database if needed, migrates, and seeds SEED_PRODUCTS products when
 * the catalog is empty. Prints what it did and how long it took.
 */
import { sql } from 'kysely';
import { loadConfig } from '../config';
import { createDb } from './connection';
import { ensureDatabase } from './ensure-database';
import { migrateToLatest } from './migrate';
import { seedCatalog } from './seed';

async function main() {
  const config = loadConfig();
  const started = performance.now();
  await ensureDatabase(config.DATABASE_URL);
  // One connection holds the seed lock, two write batches in parallel.
  const db = createDb({ connectionString: config.DATABASE_URL, max: 3, applicationName: 'cathay-seed' });
  try {
    await migrateToLatest(db);
    let lastReport = 0;
    const result = await seedCatalog(db, {
      count: config.SEED_PRODUCTS,
      concurrency: 2,
      onProgress: (done, total) => {
        const now = performance.now();
        if (done === total || now - lastReport > 2_000) {
          lastReport = now;
          console.log(`seed: ${done}/${total} products`);
        }
      },
    });
    const counts = await sql<{ products: number; inventory_levels: number; stock_movements: number }>`
      SELECT
        (SELECT count(*) FROM products)::int AS products,
        (SELECT count(*) FROM inventory_levels)::int AS inventory_levels,
        (SELECT count(*) FROM stock_movements)::int AS stock_movements
    `.execute(db);
    const totals = counts.rows[0];
    console.log(
      result.seeded
        ? `seeded ${result.products} products, ${result.inventoryLevels} inventory levels, ${result.movements} stock movements in ${result.elapsedMs} ms`
        : 'catalog already has products: nothing seeded',
    );
    console.log(
      `totals: ${totals?.products} products, ${totals?.inventory_levels} inventory levels, ${totals?.stock_movements} stock movements (${Math.round(performance.now() - started)} ms overall)`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
