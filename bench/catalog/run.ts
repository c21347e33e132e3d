/**
 * `npm run bench:catalog`: the catalog read path under load, in one run, 50 connections each.
 *   (a) bare Express route, constant JSON of a product detail's size — the ceiling
 *   (b) GET /v1/products/{sku}, cache hit
 *   (c) GET /v1/products/{sku}, cache bypassed (CACHE_ENABLED=false: Postgres every time)
 *   (d) GET /v1/products with two filters (category + maxPrice), list page cache hit
 *   (e) the same list, cache bypassed (reported for reference; no target)
 * The cases alternate over BENCH_ROUNDS rounds (5 × 3 s by default, after a warm-up) so each one
 * samples the same background noise of the shared machine; each line reports medians, and the
 * ratio line adds the median of per-round (paired) ratios.
 * One JSON line per case, then one with the ratios b/a, c/a, d/a, e/a (targets: b ≥ 0.6·a rps and
 * b p99 ≤ 1.5·a p99; c ≥ 0.3·a). Self-contained: its own database (cathay_bench_catalog, seeded
 * with BENCH_CATALOG_PRODUCTS products, 20k by default), its own Redis key prefix, servers in a
 * child process on free ports. Numbers are reported, not asserted.
 */
import { median } from '../support';
import { prepareCatalogDatabase } from './database';
import { startCatalogServer } from './server-process';

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }>;
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the slice of its API used here.
const autocannon = require('autocannon') as Autocannon;

const CONNECTIONS = 50;
/** Seconds per case per round; cases alternate for BENCH_ROUNDS rounds so each sees the same machine noise. */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_S = 2;
/** e.g. BENCH_CASES=ab to run only cases a and b while investigating. */
const ONLY = process.env.BENCH_CASES;

type Result = { rps: number; p50: number; p99: number };

interface Case {
  name: string;
  origin: string;
  paths: readonly string[];
  runs: AutocannonResult[];
}

function run(c: Case, duration: number): Promise<AutocannonResult> {
  let i = 0;
  return autocannon({
    url: c.origin,
    connections: CONNECTIONS,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, path: c.paths[i++ % c.paths.length] }) }],
  });
}

/** One JSON line per case: medians over the rounds (and each round's requests/s). */
function report(c: Case): { rps: number; p50: number; p99: number } {
  const rps = median(c.runs.map((r) => r.requests.average));
  const out = {
    bench: 'catalog',
    case: c.name,
    rps: Math.round(rps),
    p50: median(c.runs.map((r) => r.latency.p50)),
    p99: median(c.runs.map((r) => r.latency.p99)),
    rpsPerRound: c.runs.map((r) => Math.round(r.requests.average)),
    requests: c.runs.reduce((n, r) => n + r.requests.total, 0),
    non2xx: c.runs.reduce((n, r) => n + r.non2xx, 0),
    errors: c.runs.reduce((n, r) => n + r.errors + r.timeouts, 0),
    connections: CONNECTIONS,
    rounds: c.runs.length,
    secondsPerRound: DURATION_S,
    distinctPaths: c.paths.length,
  };
  console.log(JSON.stringify(out));
  return out;
}

async function main() {
  const { url, skus, listQueries } = await prepareCatalogDatabase();
  const server = await startCatalogServer({
    databaseUrl: url,
    sku: skus[0] as string,
    nodeArgs: process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
  });
  const { ports } = server;
  try {
    console.error(`[bench] detail body ${ports.bytes} bytes (bare route constant); ${skus.length} skus; list e.g. ${listQueries[0]}`);
    const cached = `http://127.0.0.1:${ports.cached}`;
    const bypass = `http://127.0.0.1:${ports.bypass}`;
    const detailPaths = skus.map((s) => `/v1/products/${s}`);
    const listPaths = listQueries.map((q) => `/v1/products?${q}`);
    const cases: Case[] = [
      { name: 'a_bare_express_constant_json', origin: `http://127.0.0.1:${ports.bare}`, paths: ['/bare'], runs: [] },
      { name: 'b_detail_cache_hit', origin: cached, paths: detailPaths, runs: [] },
      { name: 'c_detail_cache_bypassed', origin: bypass, paths: detailPaths, runs: [] },
      { name: 'd_list_two_filters', origin: cached, paths: listPaths, runs: [] },
      { name: 'e_list_two_filters_cache_bypassed', origin: bypass, paths: listPaths, runs: [] },
    ].filter((c) => !ONLY || ONLY.includes(c.name[0]!));
    for (const c of cases) await run(c, WARMUP_S); // JIT, pools, and every cached key filled
    for (let round = 0; round < ROUNDS; round++) for (const c of cases) c.runs.push(await run(c, DURATION_S));
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((k) => {
      const found = cases.find((x) => x.name.startsWith(k));
      return found ? report(found) : { rps: Number.NaN, p50: Number.NaN, p99: Number.NaN };
    }) as [Result, Result, Result, Result, Result];
    const ratio = (x: number, y: number) => Number((x / y).toFixed(2));
    // Paired ratios: (b, a) of the same round ran seconds apart, so they share the machine's mood.
    const byName = (k: string) => cases.find((x) => x.name.startsWith(k))?.runs ?? [];
    const paired = (k: string, metric: (r: AutocannonResult) => number) => {
      const xs = byName(k);
      const as = byName('a');
      return xs.map((r, i) => (as[i] ? ratio(metric(r), metric(as[i]!)) : Number.NaN));
    };
    const rpsOf = (r: AutocannonResult) => r.requests.average;
    const p99Of = (r: AutocannonResult) => r.latency.p99;
    const pairedMedian = (xs: number[]) => (xs.length ? median(xs) : Number.NaN);
    console.log(
      JSON.stringify({
        bench: 'catalog',
        case: 'ratios',
        rps_b_over_a: ratio(b.rps, a.rps),
        rps_c_over_a: ratio(c.rps, a.rps),
        rps_d_over_a: ratio(d.rps, a.rps),
        rps_e_over_a: ratio(e.rps, a.rps),
        p99_b_over_a: ratio(b.p99, a.p99),
        paired: {
          rps_b_over_a: pairedMedian(paired('b', rpsOf)),
          rps_c_over_a: pairedMedian(paired('c', rpsOf)),
          p99_b_over_a: pairedMedian(paired('b', p99Of)),
          p99_b_over_a_per_round: paired('b', p99Of),
        },
        targets: { rps_b_over_a: '>= 0.6', p99_b_over_a: '<= 1.5', rps_c_over_a: '>= 0.3' },
      }),
    );
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
