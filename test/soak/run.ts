/**
 * `npm run soak` (SOAK_MINUTES, default 30): the chaos stack (test/chaos/stack.ts) under mixed
 * traffic at half its measured capacity for that same mix (MIX_PER_ORDER): product pages, lists,
 * search, shipping rates, and orders each driven to its end by pipeline.ts (a tenth cancelled,
 * the rest shipped and advanced to delivered) — sampling every minute the RSS and CPU of each process,
 * the V8 heaps of the Node ones (heap-probe.cjs), the Temporal dev server's Go heap and cache
 * (temporal-stats.ts), p50/p99 per route, errors, open workflows, the order pipeline, Postgres
 * table sizes and Redis memory. One JSON line per minute in
 * .data/soak/<run>/samples.jsonl, a verdict line at the end, and the curves as a PNG
 * (test/soak/plot.py, matplotlib in .tools/). Pass: after the warm-up (5 min, or a third of a
 * shorter run) no process's RSS grows more than 10%, each route's p99 stays within 1.5× of the
 * first sampled minute, errors stay under 0.1%. The verdict also says whether open workflows
 * stayed flat: without that steady state, growth measures a backlog, not the processes.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Redis from 'ioredis';
import { sql } from 'kysely';
import { PROJECT_ROOT } from '../../stack/binaries';
import { sleep } from '../../stack/processes';
import { CHAOS_STACK_ENV } from '../chaos/settings';
import { type ChaosStack, startChaosStack } from '../chaos/stack';
import { newOrderRequest, placeWithRetries } from '../chaos/storefront';
import { type DriveOptions, driveOrder, OrderWatch, type PipelineRoute } from './pipeline';
import { boxCpu, cpuSeconds, cpuShares, groupHeap, groupRssMb, mainNodePid } from './proc-stats';
import { findTemporalMetrics, temporalStats } from './temporal-stats';
import { type BrowseRoute, browseRequests, MIX_PER_ORDER } from './traffic';
import { pct, type Sample, verdict, warmupMinutesFor } from './verdict';

/**
 * What the stack keeps by design, sized so that it fills during the warm-up instead of reading as
 * growth afterwards (a 30-minute run of the defaults: Temporal's RSS +30% while its history cache
 * filled to 8,096 workflows by minute 22, then level; the sandboxes +14%, the mail sink holding
 * every message). Temporal's host-level history cache (mutable states of recent workflows; the
 * dev server's default 8,096) is 2,048, filled in about four minutes at the soak's rate; the mail
 * sink keeps its last 500 messages (the soak reads none; the chaos audit, which reads them all,
 * keeps the default). Shipping quotes live in Redis for SHIPPING_QUOTE_TTL_SECONDS (900 s by
 * default: run 6 read the quote cache filling for 15 minutes as Redis +13%); 240 s fills it within
 * the warm-up. All are bounded caches of the systems around the engine, not the engine.
 */
const SOAK_RETENTION = {
  temporal: { 'history.hostLevelCacheMaxSize': 2048 },
  env: { SANDBOX_MAIL_KEEP: '500', SHIPPING_QUOTE_TTL_SECONDS: '240' },
} as const;

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const WARMUP_MINUTES = warmupMinutesFor(MINUTES);
const t0 = Date.now();
const log = (m: string) => console.log(`[soak +${((Date.now() - t0) / 1000).toFixed(0)}s load ${loadavg()[0]?.toFixed(1)}] ${m}`);

type Route = 'product' | 'list' | 'search' | 'rates' | 'order' | PipelineRoute;
let bucket = new Map<Route, { ms: number[]; errors: number }>();
function record(route: Route, ms: number, ok: boolean) {
  const b = bucket.get(route) ?? { ms: [], errors: 0 };
  b.ms.push(ms);
  if (!ok) b.errors++;
  bucket.set(route, b);
}
async function timedFetch(
  route: Route,
  url: string,
  init?: RequestInit,
  okStatuses: readonly number[] = [200, 201, 202],
): Promise<Response | undefined> {
  const s = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    await res.clone().text();
    record(route, Date.now() - s, okStatuses.includes(res.status));
    return res;
  } catch {
    record(route, Date.now() - s, false);
    return undefined;
  }
}

let running = true;
const inFlightTasks = new Set<Promise<unknown>>();

/** Calls `fn` `perSecond` times a second (open loop), at most `maxInFlight` at once. */
function every(perSecond: number, maxInFlight: number, fn: () => Promise<unknown>) {
  let inFlight = 0;
  const timer = setInterval(
    () => {
      if (inFlight >= maxInFlight || !running) return;
      inFlight++;
      const task = fn()
        .catch((err: unknown) => log(`task failed: ${String(err)}`))
        .finally(() => {
          inFlight--;
          inFlightTasks.delete(task);
        });
      inFlightTasks.add(task);
    },
    Math.max(10, 1000 / perSecond),
  );
  return () => clearInterval(timer);
}

/** What the order pipeline did during one sampled minute (and how many orders it is driving now). */
interface PipelineCounts {
  accepted: number;
  delivered: number;
  cancelled: number;
  stuck: number;
}
let pipeline: PipelineCounts = { accepted: 0, delivered: 0, cancelled: 0, stuck: 0 };
let ordersInFlight = 0;
let e2eMs: number[] = [];

/** Places one order and drives it to its end (pipeline.ts); counts what became of it. */
async function orderToEnd(
  stack: ChaosStack,
  watch: OrderWatch,
  skus: ChaosStack['skus'],
  opts: Omit<DriveOptions, 'cancel'>,
  cancelShare: number,
) {
  const s = Date.now();
  const o = await placeWithRetries(stack.apiUrl, newOrderRequest(skus, 200), 60_000);
  record('order', Date.now() - s, (o.status === 201 || o.status === 202) && o.attempts === 1);
  if (!o.orderId || (o.status !== 201 && o.status !== 202)) return;
  pipeline.accepted++;
  ordersInFlight++;
  try {
    const end = await driveOrder(
      stack,
      watch,
      { id: o.orderId, customerId: o.request.customerId },
      { ...opts, cancel: Math.random() < cancelShare },
    );
    pipeline[end]++;
    if (end === 'delivered') e2eMs.push(Date.now() - s);
  } finally {
    ordersInFlight--;
  }
}

/**
 * End-to-end capacity of the mix: 32 clients in a closed loop, each running shopper sessions —
 * the browsing of MIX_PER_ORDER, then an order driven to delivered (ship at once, advances back
 * to back) — sessions completed per second. Placement alone is a fraction of an order's work
 * (the shipment, three tracking webhooks, the tracking workflow and the delivery follow), and a
 * soak sized from placement alone outran its own shipping and piled up open orders.
 */
async function measureCapacity(stack: ChaosStack, watch: OrderWatch, skus: ChaosStack['skus']): Promise<number> {
  const started = Date.now();
  const total = 96;
  const browse = browseRequests(stack.apiUrl, skus, timedFetch);
  let next = 0;
  const client = async () => {
    while (next < total && Date.now() - started < 180_000) {
      next++;
      for (const [route, n] of Object.entries(MIX_PER_ORDER) as [BrowseRoute, number][]) {
        for (let i = 0; i < n; i++) await browse[route]();
      }
      await orderToEnd(stack, watch, skus, { shipDelayMs: 0, advanceGapMs: 0, fetch: pipelineFetch, isRunning: () => true }, 0);
    }
  };
  await Promise.all(Array.from({ length: 32 }, client));
  const delivered = pipeline.delivered;
  log(
    `capacity run: ${pipeline.accepted} accepted, ${delivered} delivered, ${pipeline.stuck} stuck in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return delivered / ((Date.now() - started) / 1000);
}

/** CPU seconds between two readings → percent of one core over the time between them. */
function cpuPct(a: { at: number; s: Record<string, number> }, b: { at: number; s: Record<string, number> }): Record<string, number> {
  const wall = (b.at - a.at) / 1000 || 1;
  return Object.fromEntries(Object.keys(b.s).map((k) => [k, Math.round((((b.s[k] ?? 0) - (a.s[k] ?? 0)) / wall) * 1000) / 10]));
}

const pipelineFetch: DriveOptions['fetch'] = (route, url, init, ok) => timedFetch(route, url, init, ok);

async function main() {
  const out = path.join(PROJECT_ROOT, '.data/soak', Date.now().toString(36));
  const heapDir = path.join(out, 'probe'); // the heap probes' files, removed at the end
  mkdirSync(heapDir, { recursive: true });
  const probe = path.join(PROJECT_ROOT, 'test/soak/heap-probe.cjs');
  log(`run directory ${out}`);
  // SOAK_HEAP_SNAPSHOTS=1: V8 heap snapshots of the API's and the worker's main threads after the
  // warm-up and at the end, into <run>/heap/ (compare them with test/soak/heap-diff.ts). A
  // snapshot stops the process for seconds: for diagnosing runs, not for the verdict.
  const snapshots = process.env.SOAK_HEAP_SNAPSHOTS === '1';
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require ${probe}`];
  // SOAK_API_NODE_ARGS: Node flags for the API alone (NODE_OPTIONS refuses some V8 ones, e.g.
  // --single-threaded-gc), to see what a GC setting does to the routes' tails.
  const apiNodeArgs = (process.env.SOAK_API_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  if (apiNodeArgs.length) log(`API node flags: ${apiNodeArgs.join(' ')}`);
  if (snapshots) nodeOptions.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.join(out, 'heap')}`);
  if (snapshots) mkdirSync(path.join(out, 'heap'), { recursive: true });
  const stack = await startChaosStack({
    workers: 1,
    // The heap probe (heap-probe.cjs) in the API, the worker and the sandboxes, this run only.
    env: { ...CHAOS_STACK_ENV, ...SOAK_RETENTION.env, SOAK_HEAP_DIR: heapDir, NODE_OPTIONS: nodeOptions.join(' ').trim() },
    temporalDynamicConfig: SOAK_RETENTION.temporal,
    apiNodeArgs,
    log,
  });
  const samplesFile = path.join(out, 'samples.jsonl');
  const temporal = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS as string });
  const client = new Client({ connection: temporal, namespace: 'default' });
  const redis = new Redis(stack.env.REDIS_URL as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const watch = new OrderWatch(stack.db);
  const temporalPid = stack.temporal.proc?.child.pid;
  const temporalMetrics = temporalPid ? await findTemporalMetrics(temporalPid) : undefined;
  if (!temporalMetrics) log('Temporal metrics endpoint not found: samples go without its Go heap and cache figures');
  try {
    const skus = stack.skus.slice(4); // plentiful stock: a soak is not about running out
    const capacity = await measureCapacity(stack, watch, skus);
    const orderRate = Math.max(0.2, capacity / 2);
    log(
      `end-to-end capacity of the mix ${capacity.toFixed(2)} orders/s → soak at ${orderRate.toFixed(2)} orders/s with ${JSON.stringify(MIX_PER_ORDER)} per order for ${MINUTES} min (warm-up ${WARMUP_MINUTES})`,
    );
    bucket = new Map();
    pipeline = { accepted: 0, delivered: 0, cancelled: 0, stuck: 0 };
    e2eMs = [];
    const drive = { shipDelayMs: 2_000, advanceGapMs: 1_000, fetch: pipelineFetch, isRunning: () => running };
    const browse = browseRequests(stack.apiUrl, skus, timedFetch);
    const stops = [
      ...(Object.entries(MIX_PER_ORDER) as [BrowseRoute, number][]).map(([route, n]) => every(orderRate * n, 20, browse[route])),
      // Every order ends (pipeline.ts): a tenth cancelled, the rest shipped 2 s after confirmation
      // and advanced to delivered 1 s per step — so open workflows plateau at (order rate × an
      // order's lifetime) instead of growing. No cap on orders being driven: a backlog would show
      // as `ordersInFlight` and open workflows climbing, which the verdict reports.
      every(orderRate, 100_000, () => orderToEnd(stack, watch, skus, drive, 0.1)),
    ];

    const samples: Sample[] = [];
    // The processes each sample measures (RSS, heaps, CPU).
    const measured = [stack.api, ...stack.workers, stack.sandboxes, stack.temporal, stack.meili, stack.redis];
    // Whose CPU it was, per minute: each stack process, the machine's Postgres and this driver.
    const cpuSets: Parameters<typeof cpuSeconds>[0] = { postgres: { comm: 'postgres' } };
    for (const s of measured) {
      const pid = s.proc?.child.pid;
      if (pid) cpuSets[s.name] = { pgid: pid };
    }
    const processCpu = () => {
      const own = process.cpuUsage();
      return { at: Date.now(), s: { ...cpuSeconds(cpuSets), driver: (own.user + own.system) / 1e6 } };
    };
    let cpuBefore = boxCpu();
    let processCpuBefore = processCpu();
    for (let minute = 1; minute <= MINUTES; minute++) {
      await sleep(60_000);
      const cpuNow = boxCpu();
      const processCpuNow = processCpu();
      const cpu = { ...cpuShares(cpuBefore, cpuNow), byProcessPct: cpuPct(processCpuBefore, processCpuNow) };
      cpuBefore = cpuNow;
      processCpuBefore = processCpuNow;
      const b = bucket;
      bucket = new Map();
      const routes: Sample['routes'] = {};
      let requests = 0;
      let errors = 0;
      for (const [route, v] of b) {
        // The latencies too: the verdict takes p99s over windows of enough requests (verdict.ts).
        routes[route] = { n: v.ms.length, p50: pct(v.ms, 50), p99: pct(v.ms, 99), errors: v.errors, ms: v.ms.map(Math.round) };
        requests += v.ms.length;
        errors += v.errors;
      }
      const rss: Record<string, number> = {};
      const heap: Sample['heapMb'] = {};
      for (const s of measured) {
        const pid = s.proc?.child.pid;
        if (!pid) continue;
        rss[s.name] = groupRssMb(pid);
        const h = groupHeap(pid, heapDir);
        if (h) heap[s.name] = h;
      }
      const temporalNow = temporalMetrics ? await temporalStats(temporalMetrics) : undefined;
      const openWorkflows = await client.workflow
        .count('ExecutionStatus="Running"')
        .then((c) => c.count)
        .catch(() => -1);
      const tables = await sql<{ name: string; mb: number }>`
        SELECT relname AS name, round(pg_total_relation_size(relid) / 1048576.0, 2)::float AS mb
          FROM pg_catalog.pg_statio_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 8`.execute(stack.db);
      const redisInfo = await redis.info('memory');
      const redisMb = Math.round((Number(/used_memory:(\d+)/.exec(redisInfo)?.[1] ?? 0) / 1048576) * 10) / 10;
      const sample: Sample = {
        minute,
        at: new Date().toISOString(),
        loadavg1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
        cpu,
        requests,
        errors,
        routes,
        rssMb: rss,
        heapMb: heap,
        openWorkflows,
        ...(temporalNow ? { temporal: temporalNow } : {}),
        pipeline: { ...pipeline, inFlight: ordersInFlight, e2eP50: pct(e2eMs, 50), e2eP99: pct(e2eMs, 99) },
        postgresMb: Object.fromEntries(tables.rows.map((r) => [r.name, r.mb])),
        redisMb,
      };
      pipeline = { accepted: 0, delivered: 0, cancelled: 0, stuck: 0 };
      e2eMs = [];
      samples.push(sample);
      appendFileSync(samplesFile, `${JSON.stringify(sample)}\n`);
      if (snapshots && (minute === WARMUP_MINUTES || minute === MINUTES)) {
        for (const s of [stack.api, ...stack.workers]) {
          const pid = s.proc?.child.pid && mainNodePid(s.proc.child.pid, heapDir);
          if (pid) process.kill(pid, 'SIGUSR2');
          log(`heap snapshot of ${s.name} (pid ${pid}) requested after minute ${minute}`);
        }
      }
      log(
        `minute ${minute}: cpu ${JSON.stringify(cpu)}, ${requests} requests, ${errors} errors, open wf ${openWorkflows}, temporal ${JSON.stringify(temporalNow)}, pipeline ${JSON.stringify(sample.pipeline)}, rss ${JSON.stringify(rss)}, heap after GC ${JSON.stringify(Object.fromEntries(Object.entries(heap).map(([k, h]) => [k, h.heapAfterGcMb])))}, longest loop delay / GC pause ms ${JSON.stringify(Object.fromEntries(Object.entries(heap).map(([k, h]) => [k, [h.loopDelayMaxMs, h.gcPauseMaxMs]])))}`,
      );
    }
    for (const stop of stops) stop();
    running = false;
    await Promise.race([Promise.allSettled([...inFlightTasks]), sleep(90_000)]);
    const v = verdict(samples, WARMUP_MINUTES);
    appendFileSync(samplesFile, `${JSON.stringify({ verdict: v })}\n`);
    console.log(
      JSON.stringify({ soak: 'verdict', minutes: MINUTES, warmupMinutes: WARMUP_MINUTES, orderRate, capacity, apiNodeArgs, ...v }),
    );
    console.log(v.summary);
    plot(samplesFile, path.join(out, 'soak.png'));
    process.exitCode = v.pass ? 0 : 1;
  } finally {
    watch.stop();
    redis.disconnect();
    await temporal.close();
    await stack.stop();
    rmSync(heapDir, { recursive: true, force: true });
  }
}

/** Draws the curves with matplotlib from .tools/ (installed there on first use). */
function plot(samplesFile: string, png: string) {
  const py = path.join(PROJECT_ROOT, '.tools/bin/python');
  try {
    execFileSync(py, ['-c', 'import matplotlib'], { stdio: 'ignore' });
  } catch {
    log('installing matplotlib into .tools/ (once)');
    execFileSync(path.join(PROJECT_ROOT, '.tools/bin/pip'), ['install', '--quiet', '--disable-pip-version-check', 'matplotlib==3.10.*'], {
      stdio: 'inherit',
    });
  }
  execFileSync(py, [path.join(PROJECT_ROOT, 'test/soak/plot.py'), samplesFile, png], { stdio: 'inherit' });
  if (existsSync(png)) log(`curves: ${png}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
