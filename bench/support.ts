/** What every benchmark shares. */
import { createDb } from '../db/connection';
import { ensureDatabase } from '../db/ensure-database';
import { migrateToLatest } from '../db/migrate';

/**
 * The p-th percentile of ascending `sorted` values, by the nearest-rank definition: the smallest
 * value with at least p% of the values at or below it (rank ⌈p/100 · n⌉, 1-based). NaN when empty
 * (printed as null in the JSON lines).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/**
 * The benchmark's own database `name` next to DATABASE_URL's, migrated, with one product per sku
 * (weights 400 g, 1300 g, 2200 g, …; kept when already there). Returns its connection string.
 */
export async function benchDatabaseWithProducts(name: string, skus: readonly string[]): Promise<string> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cathay');
  base.pathname = `/${name}`;
  const databaseUrl = base.toString();
  await ensureDatabase(databaseUrl);
  const db = createDb({ connectionString: databaseUrl, max: 2 });
  try {
    await migrateToLatest(db);
    await db
      .insertInto('products')
      .values(
        skus.map((sku, i) => ({
          sku,
          name: sku,
          description: 'benchmark product',
          brand: 'Bench',
          category: 'bench',
          price_amount: 1000,
          currency: 'USD',
          images: JSON.stringify([]),
          attributes: JSON.stringify({ weightGrams: 400 + i * 900 }),
        })),
      )
      .onConflict((oc) => oc.column('sku').doNothing())
      .execute();
  } finally {
    await db.destroy();
  }
  return databaseUrl;
}
