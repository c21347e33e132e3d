/**
 * `npm run bench:search` — search on the 100k-product seed, in one run:
 *  - full reindex throughput (docs/s): the reindex activities (prepare → copy chunks → swap), as
 *    the searchReindex workflow runs them, into a fresh Meilisearch;
 *  - direct Meilisearch vs `GET /v1/search` with the same query (overhead ratio), 20 connections,
 *    for (a) text only, (b) text + 3 filters (category, brand, price range) + facets, (c) browse a
 *    category sorted by price;
 *  - sync lag p50/p95 (outbox row committed → visible in search) under steady product and stock
 *    writes, with the outbox drain activity running as the searchSync workflow runs it.
 * Self-contained: its own database (cathay_bench_search, migrated, seeded once), its own
 * Meilisearch on a free port, the API as a child process on a free port. One JSON line per result.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createActivities } from '../../activities';
import { createActivityDeps } from '../../activities/deps';
import { loadConfig } from '../../config';
import { createDb } from '../../db/connection';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { seedCatalog } from '../../db/seed';
import type { SearchSort } from '../../domain/schemas/search';
import { createLogger } from '../../observability/logger';
import { productIndexes } from '../../search/client';
import { SUMMARY_FIELDS } from '../../search/documents';
import { buildFilter, buildSort, type SearchFilters } from '../../search/filters';
import { PROJECT_ROOT } from '../../stack/binaries';
import { startMeilisearch } from '../../stack/meilisearch';
import { freePort, httpOk, startProcess, waitFor } from '../../stack/processes';
import { brandsAndWordOf, percentile as pct, reindexInProcess } from '../support';

/** The slice of autocannon's API used here (the package ships no types; no @types package installed). */
interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  opts: { url: string; method: string; body?: string; headers: Record<string, string>; connections: number; duration: number },
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon: Autocannon = require('autocannon');

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const SEED = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const SYNC_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 15);
const SYNC_WRITES_PER_S = Number(process.env.BENCH_SYNC_WRITES_PER_S ?? 20);

function emit(o: Record<string, unknown>) {
  console.log(JSON.stringify({ bench: 'search', ...o }));
}
function note(msg: string) {
  process.stderr.write(`[bench:search] ${msg}\n`);
}
const round = (n: number) => Math.round(n * 100) / 100;

interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function load(opts: { url: string; method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<LoadResult> {
  const run = (duration: number, record: boolean) =>
    new Promise<LoadResult>((resolve, reject) => {
      const times: number[] = [];
      const instance = autocannon(
        {
          url: opts.url,
          method: opts.method ?? 'GET',
          ...(opts.body ? { body: opts.body } : {}),
          headers: opts.headers ?? {},
          connections: CONNECTIONS,
          duration,
        },
        (err, r) => {
          if (err) return reject(err);
          times.sort((a, b) => a - b);
          resolve({
            rps: round(r.requests.average),
            p50: round(pct(times, 50)),
            p95: round(pct(times, 95)),
            p99: round(pct(times, 99)),
            requests: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors + r.timeouts,
          });
        },
      );
      if (record) instance.on('response', (_c, _s, _b, ms) => times.push(ms));
    });
  await run(1, false); // warm-up: connections, JIT, Meilisearch caches
  return run(DURATION_S, true);
}

async function main() {
  const base = loadConfig();
  const url = new URL(base.DATABASE_URL);
  url.pathname = '/cathay_bench_search';
  const databaseUrl = url.toString();
  const dataDir = path.join(PROJECT_ROOT, '.data/bench/search');
  const meiliDir = path.join(dataDir, 'meili');
  rmSync(meiliDir, { recursive: true, force: true }); // a fresh engine: the reindex below builds from nothing

  await ensureDatabase(databaseUrl);
  const db = createDb({ connectionString: databaseUrl, max: 8 });
  await migrateToLatest(db);
  const seeded = await seedCatalog(db, { count: SEED, concurrency: 2 });
  note(seeded.seeded ? `seeded ${seeded.products} products in ${seeded.elapsedMs} ms` : 'catalog already seeded');

  const meili = await startMeilisearch({ port: await freePort(), dbPath: meiliDir, logDir: dataDir, name: 'bench-meili' });
  const apiPort = await freePort();
  const prefix = 'bench_';
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    MEILI_URL: meili.url,
    MEILI_INDEX_PREFIX: prefix,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
  };
  const config = loadConfig(env);
  const deps = createActivityDeps(config, createLogger({ level: 'warn', name: 'bench' }));
  const acts = createActivities(deps);
  const { live } = productIndexes(prefix);
  let api: ReturnType<typeof startProcess> | undefined;

  try {
    // --- full reindex (first start: no live index, so the rebuilt one is renamed into place) ----
    const t0 = performance.now();
    const { indexed, swap } = await reindexInProcess(acts, config.SEARCH_REINDEX_CHUNK_SIZE);
    const seconds = (performance.now() - t0) / 1000;
    emit({ case: 'reindex', docs: indexed, seconds: round(seconds), docsPerSec: Math.round(indexed / seconds), swap: swap.kind });

    // --- the API, as its own process ---------------------------------------------------------
    api = startProcess('bench-api', path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['api/main.ts'], {
      cwd: PROJECT_ROOT,
      env,
      logDir: dataDir,
    });
    await waitFor('bench api', () => httpOk(`http://127.0.0.1:${apiPort}/healthz`), 60_000, api);

    // Realistic values from the seed: the biggest category, two of its biggest brands, a word
    // from its product names.
    const top = await sql<{ category: string; n: number }>`
      SELECT category, COUNT(*)::int AS n FROM products WHERE deleted_at IS NULL GROUP BY category ORDER BY n DESC LIMIT 1`.execute(db);
    const category = top.rows[0]?.category as string;
    const { brands: brandList, word } = await brandsAndWordOf(db, category);
    note(`queries use q="${word}", category="${category}", brands=${JSON.stringify(brandList)}`);

    const cases: Array<{ name: string; q: string; filters: SearchFilters; sort: SearchSort }> = [
      { name: 'a_text', q: word, filters: {}, sort: 'relevance' },
      {
        name: 'b_text_3filters_facets',
        q: word,
        filters: { category: [category], brand: brandList, minPrice: 1_000, maxPrice: 500_000 },
        sort: 'relevance',
      },
      { name: 'c_browse_category_by_price', q: '', filters: { category: [category] }, sort: 'price:asc' },
    ];
    for (const c of cases) {
      const qs = new URLSearchParams();
      if (c.q) qs.set('q', c.q);
      for (const v of c.filters.category ?? []) qs.append('category', v);
      for (const v of c.filters.brand ?? []) qs.append('brand', v);
      if (c.filters.minPrice !== undefined) qs.set('minPrice', String(c.filters.minPrice));
      if (c.filters.maxPrice !== undefined) qs.set('maxPrice', String(c.filters.maxPrice));
      if (c.sort !== 'relevance') qs.set('sort', c.sort);
      const apiUrl = `http://127.0.0.1:${apiPort}/v1/search?${qs}`;
      // The same request the API makes (see api/routes/search.ts).
      const body = JSON.stringify({
        q: c.q,
        filter: buildFilter(c.filters),
        sort: buildSort(c.sort),
        facets: ['category', 'brand', 'price'],
        limit: 20,
        offset: 0,
        attributesToRetrieve: [...SUMMARY_FIELDS],
      });
      const check = await fetch(apiUrl);
      const checked = (await check.json()) as { total: number };
      if (check.status !== 200) throw new Error(`${c.name}: API answered ${check.status}`);
      if (!checked.total) note(`${c.name}: the query matches nothing; its numbers measure an empty result`);
      const direct = await load({
        url: `${meili.url}/indexes/${live}/search`,
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      emit({ case: c.name, target: 'meilisearch_direct', connections: CONNECTIONS, ...direct });
      const viaApi = await load({ url: apiUrl });
      emit({ case: c.name, target: 'api', connections: CONNECTIONS, total: checked.total, ...viaApi });
      emit({
        case: c.name,
        target: 'overhead',
        p50Ratio: round(viaApi.p50 / direct.p50),
        p95Ratio: round(viaApi.p95 / direct.p95),
        rpsRatio: round(direct.rps / viaApi.rps),
      });
    }

    // --- sync lag under steady writes -------------------------------------------------------
    const ids = (await sql<{ id: string; sku: string }>`SELECT id, sku FROM products ORDER BY id LIMIT 2000`.execute(db)).rows;
    const syncRun = acts.runSearchSync({ runMs: (SYNC_SECONDS + 5) * 1000 });
    const writes = SYNC_SECONDS * SYNC_WRITES_PER_S;
    const started = Date.now();
    for (let i = 0; i < writes; i++) {
      const p = ids[i % ids.length] as { id: string; sku: string };
      if (i % 2 === 0) {
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('products').set({ name: sql`name`, updated_at: sql`now()` }).where('id', '=', p.id).execute();
          await trx
            .insertInto('outbox')
            .values({ topic: 'product', aggregate_id: p.id, payload: JSON.stringify({ sku: p.sku, op: 'upsert' }) })
            .execute();
        });
      } else {
        await db.transaction().execute(async (trx) => {
          await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
          // Toggle between plenty and none, so the availability status really changes.
          await trx
            .updateTable('inventory_levels')
            .set({ on_hand: sql`CASE WHEN on_hand - reserved > 0 THEN reserved ELSE reserved + 50 END` })
            .where('sku', '=', p.sku)
            .execute();
          await trx
            .insertInto('outbox')
            .values({ topic: 'stock', aggregate_id: p.sku, payload: JSON.stringify({}) })
            .execute();
        });
      }
      const next = started + ((i + 1) * 1000) / SYNC_WRITES_PER_S;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    const sync = await syncRun;
    emit({
      case: 'sync_lag',
      writesPerSec: SYNC_WRITES_PER_S,
      rows: sync.rows,
      batches: sync.batches,
      upserts: sync.upserts,
      unchanged: sync.unchanged,
      errors: sync.errors,
      p50: sync.lagMsP50,
      p95: sync.lagMsP95,
      max: sync.lagMsMax,
    });
  } finally {
    await api?.stop();
    await meili.process.stop();
    await db.destroy();
    await deps.db.destroy();
    deps.redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
