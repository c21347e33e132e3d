/**
 * `tsx bench/scale/search-cost.ts`: where a filtered search's time goes at two catalog sizes —
 * the query `bench:scale` measures (`search-filtered-p95`: text + category + two brands + price
 * range, facets category, brand and price), sent straight to Meilisearch in variants that each
 * drop one part (facets, the price stats, the text), so the growth of each part can be read.
 *
 * Each size is built once and kept (database `cathay_bench_search_cost_<n>`, Meilisearch data in
 * `.data/bench/search-cost/<n>`; `BENCH_SEARCH_COST_REBUILD=1` builds again). Sizes:
 * BENCH_SCALE_PRODUCTS (100k) and ×BENCH_SCALE_FACTOR (10). Each variant is measured with 8
 * concurrent loops for BENCH_DURATION_S (5) per size, sizes alternating, BENCH_SCALE_ROUNDS (2)
 * times; one JSON line per variant: p50/p95 and Meilisearch CPU per search per size, hits, the ratio.
 * BENCH_SEARCH_COST_SETTINGS compares index settings instead (see main()).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { Meilisearch, type SearchParams, type Settings } from 'meilisearch';
import { createActivities } from '../../activities';
import { closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { loadConfig } from '../../config';
import { createDb } from '../../db/connection';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { seedCatalog } from '../../db/seed';
import { createLogger } from '../../observability/logger';
import { productIndexes } from '../../search/client';
import { SUMMARY_FIELDS } from '../../search/documents';
import { buildFilter } from '../../search/filters';
import { createMeiliSearcher } from '../../search/http-search';
import { PRODUCT_FIELDS, productIndexSettings } from '../../search/settings';
import { PROJECT_ROOT } from '../../stack/binaries';
import { type MeiliServer, startMeilisearch } from '../../stack/meilisearch';
import { freePort } from '../../stack/processes';
import { brandsAndWordOf, dropDatabase, inTurn, percentile, printLoadavg, processCpuSeconds, reindexInProcess, rssMb } from '../support';

const SMALL = Number(process.env.BENCH_SCALE_PRODUCTS ?? 100_000);
const FACTOR = Number(process.env.BENCH_SCALE_FACTOR ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);
const CONCURRENCY = 8;
const PREFIX = 'cost_';
const logger = createLogger({ level: 'warn', name: 'search-cost' });

interface Size {
  products: number;
  meili: MeiliServer;
  client: Meilisearch;
  index: string;
  query: { q: string; filter: string[] };
}

const note = (msg: string) => process.stderr.write(`[search-cost ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The catalog in Postgres and its index in Meilisearch, built once per size and kept. */
async function size(products: number): Promise<Size> {
  const base = loadConfig();
  const dbUrl = new URL(base.DATABASE_URL);
  dbUrl.pathname = `/cathay_bench_search_cost_${products}`;
  const rebuild = process.env.BENCH_SEARCH_COST_REBUILD === '1';
  if (rebuild) await dropDatabase(dbUrl.toString());
  await ensureDatabase(dbUrl.toString());
  const db = createDb({ connectionString: dbUrl.toString(), max: 4, statementTimeoutMillis: 0, connectionTimeoutMillis: 30_000 });
  await migrateToLatest(db);
  const have = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM products`.execute(db)).rows[0]?.n ?? 0);
  if (have < products) {
    const t = performance.now();
    await seedCatalog(db, { count: products, concurrency: 2 });
    note(`${products}: products seeded in ${Math.round((performance.now() - t) / 1000)} s`);
  }
  const dir = path.join(PROJECT_ROOT, '.data/bench/search-cost', String(products));
  mkdirSync(dir, { recursive: true });
  const meili = await startMeilisearch({
    port: await freePort(),
    dbPath: path.join(dir, 'meili'),
    logDir: dir,
    name: `cost-meili-${products}`,
  });
  const client = new Meilisearch({ host: meili.url });
  const { live } = productIndexes(PREFIX);
  const docs = await client
    .index(live)
    .getStats()
    .then((s) => s.numberOfDocuments)
    .catch(() => 0);
  if (rebuild || docs < products * 0.99) {
    const t = performance.now();
    const deps = createActivityDeps(
      loadConfig({ ...process.env, DATABASE_URL: dbUrl.toString(), MEILI_URL: meili.url, MEILI_INDEX_PREFIX: PREFIX }),
      logger,
    );
    const acts = createActivities(deps);
    await reindexInProcess(acts, deps.config.SEARCH_REINDEX_CHUNK_SIZE);
    await closeActivityDeps(deps);
    note(`${products}: index built in ${Math.round((performance.now() - t) / 1000)} s`);
  }
  // The query bench:scale sends: the biggest category, its two biggest brands, its commonest word.
  const top = (
    await sql<{ category: string }>`
    SELECT category FROM products WHERE deleted_at IS NULL GROUP BY category ORDER BY count(*) DESC LIMIT 1`.execute(db)
  ).rows[0]?.category as string;
  const { brands, word } = await brandsAndWordOf(db, top);
  await db.destroy();
  const filter = buildFilter({ category: [top], brand: brands, minPrice: 1_000, maxPrice: 500_000 }) ?? [];
  return { products, meili, client, index: live, query: { q: word, filter } };
}

const facetsAll = [...PRODUCT_FIELDS.facets, 'price'];
type Variant = (s: Size) => { q: string; params: SearchParams };
/** A page of 20 summaries (as the API asks), with or without the text, the filters and facets. */
const page =
  (parts: { text?: boolean; filter?: boolean | ((f: string[]) => string[]); facets?: string[]; retrieve?: string[] }): Variant =>
  (s) => ({
    q: parts.text === false ? '' : s.query.q,
    params: {
      ...(parts.filter === false ? {} : { filter: typeof parts.filter === 'function' ? parts.filter(s.query.filter) : s.query.filter }),
      ...(parts.facets ? { facets: parts.facets } : {}),
      limit: 20,
      attributesToRetrieve: parts.retrieve ?? [...SUMMARY_FIELDS],
    },
  });
/** What the API sends (api/routes/search.ts), and that with one part dropped. */
const VARIANTS: Record<string, Variant> = {
  api: page({ facets: facetsAll }),
  'no-facets': page({}),
  'facets-without-price': page({ facets: [...PRODUCT_FIELDS.facets] }),
  'price-stats-only': page({ facets: ['price'] }),
  'no-text': page({ text: false, facets: facetsAll }),
  'text-only': page({ filter: false }),
  'filter-only': page({ text: false }),
  'brand-facet-only': page({ facets: ['brand'] }),
  'category-facet-only': page({ facets: ['category'] }),
  'api-ids-only': page({ facets: facetsAll, retrieve: ['id'] }),
  // The filter as it was before search/filters.ts joined the bounds: one clause per price bound.
  'api-price-two-clauses': page({
    facets: facetsAll,
    filter: (f) =>
      f.flatMap((c) => {
        const m = /^price (\d+) TO (\d+)$/.exec(c);
        return m ? [`price >= ${m[1]}`, `price <= ${m[2]}`] : [c];
      }),
  }),
};

async function measure(s: Size, variant: string): Promise<{ p50: number; p95: number; cpuMs: number; n: number; hits: number }> {
  const { q, params } = (VARIANTS[variant] as Variant)(s);
  // The API's own HTTP client: the JS client's fetch adds ~40 ms a search, which hid the engine's
  // latency (its p50s read 44–53 ms at both sizes).
  const searcher = createMeiliSearcher({ url: s.meili.url, timeoutMs: 30_000 });
  const search = () => searcher.search(s.index, { ...params, q });
  const first = await search();
  const hits = first.estimatedTotalHits ?? 0;
  const ms: number[] = [];
  const pid = s.meili.process.child.pid;
  const cpu0 = processCpuSeconds(pid);
  const end = performance.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await search();
        ms.push(performance.now() - t);
      }
    }),
  );
  const cpuMs = ((processCpuSeconds(pid) - cpu0) * 1000) / ms.length;
  ms.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { p50: r1(percentile(ms, 50)), p95: r1(percentile(ms, 95)), cpuMs: r1(cpuMs), n: ms.length, hits };
}

/** One JSON line: `variant` measured at both sizes, sizes alternating, ROUNDS times. */
async function compare(small: Size, large: Size, variant: string, extra: Record<string, unknown> = {}) {
  const runs: Record<'small' | 'large', Awaited<ReturnType<typeof measure>>[]> = { small: [], large: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const label of inTurn(round, ['small', 'large'] as const))
      runs[label].push(await measure(label === 'small' ? small : large, variant));
  }
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)] as number;
  };
  const of = (label: 'small' | 'large') => ({
    p50: med(runs[label].map((r) => r.p50)),
    p95: med(runs[label].map((r) => r.p95)),
    meiliCpuMs: med(runs[label].map((r) => r.cpuMs)),
    meiliCpuMsRounds: runs[label].map((r) => r.cpuMs),
    hits: runs[label][0]?.hits,
    requests: runs[label].map((r) => r.n),
  });
  const [a, b] = [of('small'), of('large')];
  console.log(
    JSON.stringify({
      bench: 'search-cost',
      variant,
      ...extra,
      small: a,
      large: b,
      p95Ratio: Math.round((b.p95 / a.p95) * 100) / 100,
      cpuRatio: Math.round((b.meiliCpuMs / a.meiliCpuMs) * 100) / 100,
    }),
  );
}

/** Applies search/settings.ts with `patch` over it to both indexes (search-time settings: no reindex). */
async function applySettings(sizes: Size[], patch: Settings) {
  await Promise.all(
    sizes.map(async (s) => {
      const task = await s.client.index(s.index).updateSettings({ ...productIndexSettings(), ...patch });
      await s.client.tasks.waitForTask(task.taskUid, { timeout: 600_000 });
    }),
  );
}

/**
 * BENCH_SEARCH_COST_SETTINGS: a JSON object of named settings patches (`{"all-alpha":{"faceting":…}}`);
 * the API's query is measured under each, then search/settings.ts is put back. Without it, every
 * query variant (or those in BENCH_SEARCH_COST_VARIANTS, comma-separated) under our settings.
 */
async function main() {
  const settingsVariants = process.env.BENCH_SEARCH_COST_SETTINGS
    ? (JSON.parse(process.env.BENCH_SEARCH_COST_SETTINGS) as Record<string, Settings>)
    : undefined;
  const variants = process.env.BENCH_SEARCH_COST_VARIANTS?.split(',') ?? Object.keys(VARIANTS);
  const unknown = variants.filter((v) => !(v in VARIANTS));
  if (unknown.length) throw new Error(`unknown variants ${unknown.join(', ')}; known: ${Object.keys(VARIANTS).join(', ')}`);
  printLoadavg('search-cost', { small: SMALL, large: SMALL * FACTOR, durationS: DURATION_S, rounds: ROUNDS, concurrency: CONCURRENCY });
  const small = await size(SMALL);
  const large = await size(SMALL * FACTOR);
  // One query for both sizes, chosen on the small one (as bench:scale does).
  large.query = small.query;
  note(`query: q=${small.query.q} filter=${JSON.stringify(small.query.filter)}`);
  try {
    if (settingsVariants) {
      for (const [name, patch] of Object.entries({ ours: {}, ...settingsVariants })) {
        await applySettings([small, large], patch);
        for (const variant of variants) await compare(small, large, variant, { settings: name });
      }
    } else {
      for (const variant of variants) await compare(small, large, variant);
    }
  } finally {
    if (settingsVariants) await applySettings([small, large], {});
  }
  console.log(
    JSON.stringify({
      bench: 'search-cost',
      case: 'meilisearch-rss-mb',
      small: rssMb(small.meili.process.child.pid),
      large: rssMb(large.meili.process.child.pid),
    }),
  );
  printLoadavg('search-cost', { at: 'end' });
  await Promise.all([small.meili.process.stop(), large.meili.process.stop()]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
