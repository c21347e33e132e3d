/**
 * `tsx bench/scale/explain.ts <products>`: EXPLAIN (ANALYZE, BUFFERS) of the product list page the
 * scale bench measures (4 biggest categories + price range, page 1), on a fresh catalog of that size.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../config';
import { createDb } from '../../db/connection';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { productListQuery } from '../../db/queries/products';
import { seedCatalog } from '../../db/seed';
import { dropDatabase } from '../support';

async function main() {
  const n = Number(process.argv[2] ?? 10_000);
  const url = new URL(loadConfig().DATABASE_URL);
  url.pathname = `/cathay_bench_scale_explain_${n}`;
  await dropDatabase(url.toString());
  await ensureDatabase(url.toString());
  const db = createDb({ connectionString: url.toString(), max: 3, statementTimeoutMillis: 0, connectionTimeoutMillis: 30_000 });
  try {
    await migrateToLatest(db);
    await seedCatalog(db, { count: n, concurrency: 2 });
    const cats = (
      await sql<{ category: string }>`SELECT category FROM products GROUP BY 1 ORDER BY count(*) DESC LIMIT 4`.execute(db)
    ).rows.map((r) => r.category);
    const q = productListQuery(db, { categories: cats, minPrice: 1000, maxPrice: 200000 }, { limit: 20, lowStockThreshold: 5 }).compile();
    for (let i = 0; i < 3; i++) {
      const plan = await sql
        .raw(
          `EXPLAIN (ANALYZE, BUFFERS) ${q.sql.replace(/\$(\d+)/g, (_, k) => {
            const v = q.parameters[Number(k) - 1];
            return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
          })}`,
        )
        .execute(db);
      if (i === 2) console.log((plan.rows as Array<Record<string, string>>).map((r) => Object.values(r)[0]).join('\n'));
    }
  } finally {
    await db.destroy();
    await dropDatabase(url.toString());
  }
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
