/**
 * `npm run bench:gc`: the API's GC pauses on a busy machine, V8's default (parallel) young
 * generation collector against `--single-threaded-gc`, in one run.
 *
 * Why: in the soak the product page's p99 follows the API's longest GC pauses — scavenges of
 * 25–69 ms, where an idle process scavenges its young generation in 1–3 ms — while the worker
 * and Temporal keep the two cores 60–80% busy. A parallel scavenge hands work to V8's helper
 * threads and waits for them; on a saturated machine a helper that lost its core stalls the main
 * thread. A single-threaded GC does all the work itself and waits for nobody.
 *
 * How: two copies of the catalog server (server.ts), one per setting, serve product details
 * (cache hit, 500 products rotated) at a fixed open-loop rate, one request to each in turn, so
 * both see the same moments of the machine. BENCH_GC_HOGS processes (default one per core) keep
 * the cores busy BENCH_GC_DUTY of the time (0.7) in 10 ms slices, allocating as they go, like the
 * soak's worker. Rounds of BENCH_GC_ROUND_S seconds (20) × BENCH_ROUNDS (6) give per-round p99s
 * (reported as ranges); the servers report their GC pauses per round.
 * One JSON line per setting, one with the ratios, and the load average. Numbers are reported,
 * not asserted.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, percentile, printLoadavg, rssMb } from '../support';
import { prepareCatalogDatabase } from './database';
import { type CatalogServer, type GcPauses, startCatalogServer } from './server-process';

const RATE = Number(process.env.BENCH_GC_RATE ?? 150); // requests/s to each server
const ROUND_S = Number(process.env.BENCH_GC_ROUND_S ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const HOGS = Number(process.env.BENCH_GC_HOGS ?? availableParallelism());
const DUTY = Number(process.env.BENCH_GC_DUTY ?? 0.7);
const TICK_MS = 10;

interface Setting {
  name: string;
  nodeArgs: string[];
  server?: CatalogServer;
  latencies: number[];
  p99PerRound: number[];
  gcPerRound: GcPauses[];
  errors: number;
}

/** A process that is busy DUTY of every 10 ms slice, allocating short-lived objects. */
function startHog() {
  const code = `
    let keep = [];
    const slice = () => {
      const end = performance.now() + ${10 * DUTY};
      while (performance.now() < end) { keep.push({ a: Math.random(), b: [1, 2, 3] }); if (keep.length > 5000) keep = []; }
      setTimeout(slice, ${10 * (1 - DUTY)});
    };
    slice();`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function timedGet(url: string): Promise<number | null> {
  const started = performance.now();
  try {
    const r = await fetch(url);
    await r.arrayBuffer();
    return r.status === 200 ? performance.now() - started : null;
  } catch {
    return null;
  }
}

/** One round: every tick, RATE × tick requests to each setting, alternating which goes first. */
async function round(settings: Setting[], paths: string[], seconds: number, record: boolean): Promise<void> {
  const inFlight: Promise<void>[] = [];
  const roundLatencies = settings.map(() => [] as number[]);
  let owed = 0;
  let n = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    owed += (RATE * TICK_MS) / 1000;
    for (; owed >= 1; owed--, n++) {
      const path = paths[n % paths.length] as string;
      for (let k = 0; k < settings.length; k++) {
        const i = (k + n) % settings.length;
        const s = settings[i] as Setting;
        inFlight.push(
          timedGet(`http://127.0.0.1:${s.server?.ports.cached}${path}`).then((ms) => {
            if (ms === null) s.errors++;
            else roundLatencies[i]?.push(ms);
          }),
        );
      }
    }
    await sleep(TICK_MS);
  }
  await Promise.all(inFlight);
  const gc = await Promise.all(settings.map((s) => (s.server as CatalogServer).gcPauses()));
  if (!record) return;
  settings.forEach((s, i) => {
    const ms = (roundLatencies[i] as number[]).sort((a, b) => a - b);
    s.latencies.push(...ms);
    s.p99PerRound.push(round1(percentile(ms, 99)));
    s.gcPerRound.push(gc[i] as GcPauses);
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const range = (xs: number[]) => [round1(Math.min(...xs)), round1(Math.max(...xs))];

function report(s: Setting) {
  const all = [...s.latencies].sort((a, b) => a - b);
  const gc = s.gcPerRound;
  const line = {
    bench: 'gc-contention',
    case: s.name,
    nodeArgs: s.nodeArgs,
    ratePerS: RATE,
    requests: all.length,
    errors: s.errors,
    p50: round1(percentile(all, 50)),
    p99: round1(percentile(all, 99)),
    p999: round1(percentile(all, 99.9)),
    max: round1(percentile(all, 100)),
    p99PerRound: s.p99PerRound,
    p99RoundRange: range(s.p99PerRound),
    gcPausesPerRound: gc.map((g) => g.count),
    gcTotalMsPerRound: gc.map((g) => round1(g.totalMs)),
    gcMaxMsPerRound: gc.map((g) => round1(g.maxMs)),
    gcMaxMsByKind: Object.fromEntries(
      [...new Set(gc.flatMap((g) => Object.keys(g.maxByKind)))].map((k) => [k, round1(Math.max(...gc.map((g) => g.maxByKind[k] ?? 0)))]),
    ),
    rssMb: rssMb(s.server?.pid),
  };
  console.log(JSON.stringify(line));
  return line;
}

async function main() {
  const { url, skus } = await prepareCatalogDatabase();
  const settings: Setting[] = [
    { name: 'parallel-gc', nodeArgs: [], latencies: [], p99PerRound: [], gcPerRound: [], errors: 0 },
    { name: 'single-threaded-gc', nodeArgs: ['--single-threaded-gc'], latencies: [], p99PerRound: [], gcPerRound: [], errors: 0 },
  ];
  for (const s of settings) {
    s.server = await startCatalogServer({ databaseUrl: url, sku: skus[0] as string, nodeArgs: s.nodeArgs, name: s.name });
  }
  const hogs = Array.from({ length: HOGS }, startHog);
  printLoadavg('gc-contention', { phase: 'start', hogs: HOGS, duty: DUTY });
  try {
    const paths = skus.map((sku) => `/v1/products/${sku}`);
    await round(settings, paths, 5, false); // JIT, Redis pools, every product cached
    for (let r = 0; r < ROUNDS; r++) await round(settings, paths, ROUND_S, true);
    const [a, b] = settings.map(report) as [ReturnType<typeof report>, ReturnType<typeof report>];
    const paired = a.p99PerRound.map((p, i) => round1((b.p99PerRound[i] as number) / p));
    console.log(
      JSON.stringify({
        bench: 'gc-contention',
        case: 'ratios',
        p99_single_over_parallel: round1(b.p99 / a.p99),
        p999_single_over_parallel: round1(b.p999 / a.p999),
        p99_per_round: paired,
        p99_per_round_median: round1(median(paired)),
        gc_max_median_ms: { parallel: round1(median(a.gcMaxMsPerRound)), single: round1(median(b.gcMaxMsPerRound)) },
      }),
    );
    printLoadavg('gc-contention', { phase: 'end' });
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    await Promise.all(settings.map((s) => s.server?.stop()));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
