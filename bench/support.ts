/**
 * What every benchmark shares: one definition of a percentile, so the figures of different benches
 * mean the same thing, the load average that explains outliers on a shared machine, and /proc
 * readings of a process's memory and CPU.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type { createActivities } from '../activities';
import { createDb, type Db } from '../db/connection';
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
 * The median of `xs` (any order): the middle value, or the mean of the two middle ones. NaN when
 * empty. Benches report the median of rounds, so one noisy round does not decide a figure.
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  if (!s.length) return Number.NaN;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * The two sides of a paired measurement in the order they run in `round`: as given in even rounds,
 * swapped in odd ones (ABBA), so neither side always runs first — a warm cache, a cooling box or
 * the other side's load would otherwise favour one.
 */
export function inTurn<T>(round: number, pair: readonly [T, T]): [T, T] {
  return round % 2 === 0 ? [pair[0], pair[1]] : [pair[1], pair[0]];
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

/** The 1/5/15-minute load averages, one decimal. */
export function loadAverages(): { loadavg1m: number; loadavg5m: number; loadavg15m: number } {
  const [a = 0, b = 0, c = 0] = loadavg();
  const r = (n: number) => Math.round(n * 10) / 10;
  return { loadavg1m: r(a), loadavg5m: r(b), loadavg15m: r(c) };
}

/** Prints the load averages (and the core count) as one JSON line of `bench`. */
export function printLoadavg(bench: string, extra: Record<string, unknown> = {}): void {
  const cores = Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 0);
  process.stdout.write(`${JSON.stringify({ bench, case: 'loadavg', cores, ...loadAverages(), ...extra })}\n`);
}

/** Resident memory of a process in MiB (Linux /proc), or null when it is gone. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, with reaped children) a process has used so far (Linux /proc), 0 when gone. */
export function processCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after "(comm) ": state is index 0, utime/stime/cutime/cstime are 11–14
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

/** Drops the database of `url` (closing its connections first), if it exists. */
export async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const db = createDb({ connectionString: admin.toString(), max: 1, statementTimeoutMillis: 0, connectionTimeoutMillis: 30_000 });
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(db);
  } finally {
    await db.destroy();
  }
}

/**
 * A filtered search with hits, from the seed: the category's two biggest brands and the most
 * common word (4+ letters, not a brand word) in their products' names there; 'home' if none.
 * Shared by bench:search and bench:scale.
 */
export async function brandsAndWordOf(db: Db, category: string): Promise<{ brands: string[]; word: string }> {
  const brands = (
    await sql<{ brand: string }>`
      SELECT brand FROM products WHERE category = ${category} AND deleted_at IS NULL GROUP BY brand ORDER BY count(*) DESC LIMIT 2`.execute(
      db,
    )
  ).rows.map((b) => b.brand);
  const words = await sql<{ w: string }>`
    SELECT w FROM (SELECT regexp_split_to_table(lower(name), '[^a-z]+') AS w FROM products
      WHERE category = ${category} AND brand IN (${sql.join(brands)}) AND deleted_at IS NULL) t
    WHERE length(w) >= 4 GROUP BY w ORDER BY count(*) DESC LIMIT 5`.execute(db);
  const brandWords = new Set(
    brands
      .join(' ')
      .toLowerCase()
      .split(/[^a-z]+/),
  );
  return { brands, word: words.rows.map((r) => r.w).find((w) => !brandWords.has(w)) ?? 'home' };
}

type ReindexActivities = Pick<ReturnType<typeof createActivities>, 'searchReindexPrepare' | 'searchReindexCopy' | 'searchReindexSwap'>;

/** A full reindex in this process, the steps the searchReindex workflow runs: prepare, copy every chunk, swap. */
export async function reindexInProcess(acts: ReindexActivities, chunkSize: number) {
  const plan = await acts.searchReindexPrepare();
  let afterId: string | null = null;
  let indexed = 0;
  for (;;) {
    const chunk = await acts.searchReindexCopy({ tmp: plan.tmp, afterId, maxDocs: chunkSize });
    indexed += chunk.copied;
    afterId = chunk.lastId;
    if (chunk.done) break;
  }
  return { indexed, swap: await acts.searchReindexSwap(plan) };
}
