/**
 * `npm run bench:gc`: the API's GC pauses and the product page's tail on a busy machine, in one
 * run, for three servers of the same app:
 *   express-listen       Express's own `app.listen` (how the API listened before): Express sets
 *                        each request's and response's prototype with Object.setPrototypeOf
 *   app-prototypes       api/http-server.ts: Node builds them with Express's prototypes
 *   app-prototypes-stgc  the same with V8's --single-threaded-gc
 *
 * Why: in the soak the product page's p99 follows the API's longest GC pauses — scavenges of
 * 25–69 ms while the worker and Temporal keep the two cores 60–80% busy. `--trace-gc-nvp` showed
 * ~23% of each request's allocation surviving a scavenge under Express's listen (a plain Node
 * server: 0.2%); a scavenge's cost is what survives it.
 *
 * How: the servers (server.ts, one process each) serve product details (cache hit, 500 products
 * rotated) at a fixed open-loop rate each, one request to each in turn, so all see the same
 * moments of the machine. BENCH_GC_HOGS processes (default one per core) keep the cores busy
 * BENCH_GC_DUTY of the time (0.7) in 10 ms slices, allocating as they go, like the soak's worker
 * (BENCH_GC_HOGS=0: an idle machine). Rounds of BENCH_GC_ROUND_S seconds (20) × BENCH_ROUNDS (6)
 * give per-round p99s (reported as ranges); the servers report their GC pauses per round.
 * One JSON line per server, one with the ratios against express-listen, and the load average.
 * Numbers are reported, not asserted.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, percentile, printLoadavg, rssMb } from '../support';
import { prepareCatalogDatabase } from './database';
import { type CatalogServer, type GcPauses, startCatalogServer } from './server-process';

const RATE = Number(process.env.BENCH_GC_RATE ?? 100); // requests/s to each server
const ROUND_S = Number(process.env.BENCH_GC_ROUND_S ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const HOGS = Number(process.env.BENCH_GC_HOGS ?? availableParallelism());
const DUTY = Number(process.env.BENCH_GC_DUTY ?? 0.7);
const TICK_MS = 10;

interface Setting {
  name: string;
  nodeArgs: string[];
  env: Record<string, string>;
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
  const roundErrors = settings.map(() => 0);
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
            if (ms === null) roundErrors[i] = (roundErrors[i] ?? 0) + 1;
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
    s.errors += roundErrors[i] ?? 0; // the warm-up's, like its latencies, are not reported
    s.p99PerRound.push(round1(percentile(ms, 99)));
    s.gcPerRound.push(gc[i] as GcPauses);
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const range = (xs: number[]) => [round1(Math.min(...xs)), round1(Math.max(...xs))];

function report(s: Setting) {
  const all = [...s.latencies].sort((a, b) => a - b);
  const gc = s.gcPerRound;
  const line = {
    bench: 'gc-contention',
    case: s.name,
    nodeArgs: s.nodeArgs,
    env: s.env,
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
  const setting = (name: string, nodeArgs: string[], env: Record<string, string> = {}): Setting => ({
    name,
    nodeArgs,
    env,
    latencies: [],
    p99PerRound: [],
    gcPerRound: [],
    errors: 0,
  });
  const settings = [
    setting('express-listen', [], { BENCH_EXPRESS_LISTEN: '1' }),
    setting('app-prototypes', []),
    setting('app-prototypes-stgc', ['--single-threaded-gc']),
  ];
  for (const s of settings) {
    s.server = await startCatalogServer({ databaseUrl: url, sku: skus[0] as string, nodeArgs: s.nodeArgs, env: s.env, name: s.name });
  }
  const hogs = Array.from({ length: HOGS }, startHog);
  printLoadavg('gc-contention', { phase: 'start', hogs: HOGS, duty: DUTY });
  try {
    const paths = skus.map((sku) => `/v1/products/${sku}`);
    await round(settings, paths, 5, false); // JIT, Redis pools, every product cached
    for (let r = 0; r < ROUNDS; r++) await round(settings, paths, ROUND_S, true);
    const [before, ...others] = settings.map(report) as [ReturnType<typeof report>, ...ReturnType<typeof report>[]];
    for (const after of others) {
      const paired = before.p99PerRound.map((p, i) => round2((after.p99PerRound[i] as number) / p));
      console.log(
        JSON.stringify({
          bench: 'gc-contention',
          case: `ratios ${after.case} / ${before.case}`,
          p99: round2(after.p99 / before.p99),
          p999: round2(after.p999 / before.p999),
          p99PerRound: paired,
          p99PerRoundMedian: round2(median(paired)),
          gcMaxMsMedian: [round1(median(before.gcMaxMsPerRound)), round1(median(after.gcMaxMsPerRound))],
          gcTotalMsMedian: [round1(median(before.gcTotalMsPerRound)), round1(median(after.gcTotalMsPerRound))],
        }),
      );
    }
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
