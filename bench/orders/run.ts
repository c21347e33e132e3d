/**
 * Orders benchmark (`npm run bench:orders`): orders per second placed through the HTTP API to
 * `confirmed` (autocannon, one new Idempotency-Key per request), and to completion (place → ship
 * → deliver), p50/p99 of the synchronous answer at 8/32/64 concurrent clients — next to a
 * baseline on the same Temporal server: an empty workflow started and awaited by the client.
 *
 * Self-contained: its own Postgres database (cathay_bench_orders_<run>, dropped at the end), Redis prefix, a Temporal dev
 * server (SQLite, one history shard — as `npm run dev` runs it) on free ports, the payment sandbox
 * and mail sink, one worker and one API in this process. Prints one JSON line per result, plus
 * events per order (from the histories) and, for each run, where the time and the CPU went:
 * CPU seconds per process (/proc) and per thread of this one (main / workflow thread / core),
 * the main thread's event-loop delay, the server's persistence and RPC latencies, the worker's
 * (core SDK metrics), the median order's first workflow task segment by segment (from its
 * history), and with BENCH_CPU_PROFILE=1 a CPU profile of the main thread at 32 clients.
 * BENCH_QUICK=1 skips the completion run; BENCH_LEVELS / BENCH_DURATION_S choose the runs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createApp } from '../../api/app';
import { signCustomerToken } from '../../api/customer-token';
import { type AppDeps, closeAppDeps, createAppDeps } from '../../api/deps';
import { createHttpServer } from '../../api/http-server';
import { redisReady } from '../../cache/redis';
import { loadConfig } from '../../config';
import { createDb } from '../../db/connection';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { orderWorkflowId } from '../../domain/orders/identity';
import { startMailSink } from '../../integrations/mail/sink';
import { startPaymentSandbox } from '../../integrations/payments/sandbox';
import { startCarrierSandbox } from '../../integrations/sandbox/carrier-server';
import { createLogger } from '../../observability/logger';
import { PROJECT_ROOT } from '../../stack/binaries';
import { freePort } from '../../stack/processes';
import { startTemporalDevServer } from '../../stack/temporal-server';
import { bundleWorkflows } from '../../workers/bundle';
import { createWorkers, WORKFLOW_POLLING } from '../../workers/create-workers';
import { dropDatabase, percentile as pct } from '../support';
import { firstTaskTimeline, medianTimeline } from './history-timing';
import { cpuDelta, sampleCpu, sampleThreads, startCpuProfile, threadDelta } from './profile';
import { metricsUrlFromLog, scrape, scrapeSdk, sdkLatencies, topOperations } from './server-metrics';

const LEVELS = (process.env.BENCH_LEVELS ?? '8,32,64').split(',').map(Number);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const SKUS = 200;
const KEYS = { storefront: 'bench-storefront-key', ops: 'bench-ops-key' };
/** The shop's sign-in secret for this run: every order is placed with its customer's token (contract v1.1). */
const CUSTOMER_TOKEN_SECRET = 'bench-customer-token-secret-0123456789';
const CUSTOMERS = 5000;

/** Every line carries the box's 1-minute load average: on a shared 2-core box it explains outliers. */
function print(line: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'orders', ...line, loadavg1m: Math.round((loadavg()[0] ?? 0) * 10) / 10 })}\n`);
}
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const runId = randomBytes(3).toString('hex');
  const dataDir = path.join(PROJECT_ROOT, '.data/bench/orders', runId);
  mkdirSync(dataDir, { recursive: true });
  const base = loadConfig();
  const dbUrl = new URL(base.DATABASE_URL);
  // A database of its own per run (dropped at the end): earlier runs' orders do not slow this one,
  // and two checkouts with different migrations (bench:compare) never share one.
  dbUrl.pathname = `/cathay_bench_orders_${runId}`;

  // --- infrastructure on free ports ---
  const [tPort, tUi, apiPort, sdkMetricsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  // The dev server's SQLite file: on tmpfs by default (BENCH_TEMPORAL_DB=disk puts it under .data/,
  // where every history write waits for an fsync of the shared disk).
  const onDisk = process.env.BENCH_TEMPORAL_DB === 'disk' || !existsSync('/dev/shm');
  const temporalDb = onDisk ? path.join(dataDir, 'temporal.db') : path.join('/dev/shm', `cathay-bench-${runId}.db`);
  print({
    case: 'setup',
    temporalDb: onDisk ? 'disk' : 'tmpfs',
    sqlitePragmas: process.env.BENCH_SQLITE_PRAGMAS ?? 'wal',
    levels: LEVELS,
    durationS: DURATION_S,
  });
  const temporalProc = await startTemporalDevServer({
    port: tPort,
    uiPort: tUi,
    dbFile: temporalDb,
    namespace: 'default',
    logDir: dataDir,
    // BENCH_SQLITE_PRAGMAS=default: SQLite's own defaults (rollback journal, synchronous=FULL), to compare.
    ...(process.env.BENCH_SQLITE_PRAGMAS === 'default' ? { sqlitePragmas: {} } : {}),
  });
  // The banner with the metrics URL reaches the log a moment after the port opens: read it lazily.
  const metricsUrl = () => metricsUrlFromLog(temporalProc.logFile);
  await ensureDatabase(dbUrl.toString());
  const migDb = createDb({ connectionString: dbUrl.toString(), max: 1 });
  await migrateToLatest(migDb);
  await migDb.destroy();
  const [payments, mail, carriers] = await Promise.all([
    startPaymentSandbox({ port: 0 }),
    Promise.all([freePort(), freePort()]).then(([s, h]) => startMailSink({ smtpPort: s, httpPort: h })),
    freePort().then((port) => startCarrierSandbox({ port, webhookUrl: null, secret: 'dev-webhook-secret' })),
  ]);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl.toString(),
    REDIS_KEY_PREFIX: `bench:${runId}:`,
    TEMPORAL_ADDRESS: `127.0.0.1:${tPort}`,
    TEMPORAL_TASK_QUEUE_PREFIX: `bench-${runId}-`,
    PAYMENT_URL: payments.url,
    CARRIER_URL: carriers.url,
    SMTP_PORT: String(mail.smtpPort),
    API_KEYS: `storefront:${KEYS.storefront},ops:${KEYS.ops}`,
    // production refuses to run without payload keys: a throwaway one per bench run
    PAYLOAD_CODEC_KEYS: process.env.PAYLOAD_CODEC_KEYS ?? `bench:${randomBytes(32).toString('base64')}`,
    // one storefront key drives the whole load: measure the limiter's cost, not its refusals
    RATE_LIMIT_ORDERS_KEY: process.env.RATE_LIMIT_ORDERS_KEY ?? '1000000000',
    RATE_LIMIT_PUBLIC_KEY: process.env.RATE_LIMIT_PUBLIC_KEY ?? '1000000000',
    CUSTOMER_TOKEN_SECRET,
    ORDER_ID_SECRET: 'bench-order-id-secret-0123456789abcdef',
  });
  const logger = createLogger({ level: 'silent', name: 'bench' });
  // The worker's own metrics (core SDK, Prometheus): workflow task and local activity latencies and
  // the client-side latency of each RPC — the worker's view next to the server's.
  const sdkMetricsUrl = `http://127.0.0.1:${sdkMetricsPort}/metrics`;
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}`, useSecondsForDurations: false } } },
  });

  // --- catalog: SKUS products with deep stock (contention is the inventory bench's subject) ---
  const activityDeps: ActivityDeps = createActivityDeps(config, logger);
  const skus = Array.from({ length: SKUS }, (_, i) => `BENCH-${runId}-${i}`);
  await activityDeps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('products')
      .values(
        skus.map((sku) => ({
          sku,
          name: `Bench ${sku}`,
          description: '',
          currency: 'USD',
          brand: 'Bench',
          category: 'Bench',
          price_amount: 1000 + (sku.length % 7) * 100,
          images: '[]',
          attributes: '{}',
        })),
      )
      .execute();
    await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
    await trx
      .insertInto('inventory_levels')
      .values(skus.map((sku) => ({ sku, location_id: 'wh-east', on_hand: 10_000_000 })))
      .execute();
  });

  // --- worker (orders queue + the baseline's queue) and API, in this process ---
  const [nativeConnection, bundle, emptyBundle] = await Promise.all([
    NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }),
    bundleWorkflows(),
    bundleWorkflowCode({
      workflowsPath: require.resolve('./empty-workflow'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    }),
  ]);
  const workers = await createWorkers({
    connection: nativeConnection,
    namespace: 'default',
    queues: ['orders'],
    workflowBundle: bundle,
    deps: activityDeps,
  });
  const baselineQueue = `bench-${runId}-empty`;
  const emptyWorker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: baselineQueue,
    workflowBundle: emptyBundle,
    maxConcurrentWorkflowTaskExecutions: 40,
    // the same polling as the orders worker: the baseline must not be handicapped (or helped) by it
    ...WORKFLOW_POLLING,
  });
  const running = [...workers, emptyWorker].map((w) => w.run());
  const appDeps: AppDeps = createAppDeps(config, logger);
  await redisReady(appDeps.redis);
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(createApp(appDeps)).listen(apiPort, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientConn = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConn, namespace: 'default' });

  // Signed up front: autocannon's setupRequest is synchronous, and signing is not what is measured.
  const tokens = await Promise.all(
    Array.from({ length: CUSTOMERS }, (_, i) => signCustomerToken(CUSTOMER_TOKEN_SECRET, `bench-${runId}-c${i}`, 24 * 3600)),
  );
  let seq = 0;
  const newOrder = () => {
    seq += 1;
    const customerId = `bench-${runId}-c${seq % CUSTOMERS}`;
    return {
      key: `bench-${runId}-${seq}`,
      token: tokens[seq % CUSTOMERS] as string,
      body: JSON.stringify({
        customerId,
        email: 'bench@example.com',
        items: [
          { sku: skus[seq % SKUS], quantity: 1 },
          { sku: skus[(seq * 7 + 3) % SKUS], quantity: 2 },
        ].filter((v, i, a) => a.findIndex((x) => x.sku === v.sku) === i),
        shippingAddress: { name: 'Bench', line1: '1 Load St', city: 'Perf', postalCode: '10001', country: 'US' },
        shipping: { carrier: 'swiftship', service: 'ground' },
        payment: { token: 'tok_visa' },
      }),
    };
  };

  const confirmedIds: string[] = [];
  const peakAt = new Map<number, number>();
  /** Orders through the API with autocannon (closed loop; paced at `overallRate` per second if given). */
  const placeWithAutocannon = (
    connections: number,
    statuses: Record<string, number>,
    onConfirmed: (id: string) => void,
    overallRate?: number,
  ) =>
    autocannon({
      url: `${apiUrl}/v1/orders`,
      method: 'POST',
      connections,
      duration: DURATION_S,
      timeout: 10,
      ...(overallRate ? { overallRate } : {}),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.storefront}` },
      requests: [
        {
          setupRequest: (req) => {
            const o = newOrder();
            return { ...req, body: o.body, headers: { ...req.headers, 'idempotency-key': o.key, 'x-customer-token': o.token } };
          },
          onResponse: (status, body) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 201) {
              const m = /"id":"([^"]+)"/.exec(body);
              if (m?.[1]) onConfirmed(m[1]);
            }
          },
        },
      ],
    });
  // warm-up: bundles loaded, connections pooled, JIT warm
  await placeMany(apiUrl, newOrder, 8, 2, () => undefined);

  // --- 1. orders to confirmed, per concurrency level ---
  for (const connections of LEVELS) {
    const baseline = await runBaseline(client, baselineQueue, connections, Math.max(4, DURATION_S / 2), temporalProc.child.pid);
    print({ case: 'baseline-empty-workflow', connections, ...baseline });

    const before = sampleCpu(temporalProc.child.pid);
    const threadsBefore = sampleThreads();
    // The main thread runs the API, the activities, the sandboxes and autocannon: its event-loop
    // delay is how long a ready callback (an HTTP answer, an activity's next step) waits its turn.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const stopProfile = process.env.BENCH_CPU_PROFILE === '1' && connections === 32 ? await startCpuProfile() : undefined;
    const [serverBefore, sdkBefore] = await Promise.all([scrape(metricsUrl()), scrapeSdk(sdkMetricsUrl)]);
    const statuses: Record<string, number> = {};
    const levelIds: string[] = [];
    const result = await placeWithAutocannon(connections, statuses, (id) => {
      if (confirmedIds.length < 50_000) confirmedIds.push(id);
      levelIds.push(id);
    });
    const cpu = cpuDelta(before, sampleCpu(temporalProc.child.pid));
    const nodeThreads = threadDelta(threadsBefore, sampleThreads());
    loopDelay.disable();
    const mainProfile = await stopProfile?.();
    const confirmed = statuses['201'] ?? 0;
    const placedTotal = Object.values(statuses).reduce((a, b) => a + b, 0);
    const serverTime = topOperations(serverBefore, await scrape(metricsUrl()), Math.max(1, placedTotal));
    const workerTime = sdkLatencies(sdkBefore, await scrapeSdk(sdkMetricsUrl), Math.max(1, placedTotal));
    const rps = round(confirmed / DURATION_S);
    print({
      case: 'place-to-confirmed',
      connections,
      rps,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      ratioToBaseline: baseline.rps ? Math.round((rps / baseline.rps) * 100) / 100 : null,
      cpu,
      cpuMsPerOrder: confirmed
        ? {
            node: Math.round((cpu.nodeCpuS * 1000) / confirmed),
            temporal: Math.round((cpu.temporalCpuS * 1000) / confirmed),
            postgres: Math.round((cpu.postgresCpuS * 1000) / confirmed),
          }
        : null,
      nodeThreads,
      mainLoopDelayMs: {
        p50: round(loopDelay.percentile(50) / 1e6),
        p99: round(loopDelay.percentile(99) / 1e6),
        max: round(loopDelay.max / 1e6),
      },
      temporalServerPerOrder: serverTime,
      workerPerOrder: workerTime,
    });
    if (mainProfile) print({ case: 'node-main-thread-profile', connections, ...mainProfile });
    // The median order's first workflow task, segment by segment (a sample from the run's middle).
    const mid = levelIds.slice(Math.floor(levelIds.length / 2) - 10, Math.floor(levelIds.length / 2) + 10);
    const timelines = await Promise.all(
      mid.map(async (id) => firstTaskTimeline(await client.workflow.getHandle(orderWorkflowId(id)).fetchHistory())),
    );
    print({ case: 'place-to-confirmed-timeline-ms', connections, orders: mid.length, median: medianTimeline(timelines) });
    peakAt.set(connections, rps);
  }

  // --- 1b. the same at a fixed offered rate (half the peak at 32 clients) ---
  // Closed-loop clients at saturation wait in line: p50 ≈ clients / throughput (Little's law), so
  // a latency target at 32 clients is also a throughput target (250 ms ⇒ 128 orders/s). Offered
  // at a rate the system sustains, the latency is the order's own: queueing is mostly gone.
  const peak32 = peakAt.get(32);
  if (peak32) {
    const rate = Math.max(1, Math.round(peak32 / 2));
    const statuses: Record<string, number> = {};
    const result = await placeWithAutocannon(32, statuses, () => undefined, rate);
    print({
      case: 'place-to-confirmed-paced',
      connections: 32,
      offeredPerS: rate,
      rps: round((statuses['201'] ?? 0) / DURATION_S),
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      statuses,
    });
  }

  // --- 2. to completion: place, ship, deliver (each a synchronous call) ---
  // (BENCH_QUICK=1 stops after the placement runs: for A/B comparisons of one setting.)
  const quick = process.env.BENCH_QUICK === '1';
  if (!quick) {
    const connections = 32;
    const before = sampleCpu(temporalProc.child.pid);
    const latencies: number[] = [];
    const { completed } = await placeMany(apiUrl, newOrder, connections, DURATION_S, (ms) => latencies.push(ms), true);
    const cpu = cpuDelta(before, sampleCpu(temporalProc.child.pid));
    latencies.sort((a, b) => a - b);
    print({
      case: 'place-ship-deliver',
      connections,
      rps: round(completed / DURATION_S),
      p50: Math.round(pct(latencies, 50)),
      p99: Math.round(pct(latencies, 99)),
      cpu,
    });
  }

  // --- events per order, from histories ---
  if (!quick) {
    const counts: number[] = [];
    for (const id of confirmedIds.slice(-20)) {
      const h = await client.workflow.getHandle(orderWorkflowId(id)).fetchHistory();
      counts.push(h.events?.length ?? 0);
    }
    print({
      case: 'history-events-per-order',
      confirmedAwaitingShipment: counts.length ? Math.round(counts.reduce((a, b) => a + b, 0) / counts.length) : null,
      delivered: await completedHistories(client, appDeps, runId),
      baselineEmptyWorkflow: 5,
    });
  }

  // --- teardown ---
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  for (const w of [...workers, emptyWorker]) w.shutdown();
  await Promise.allSettled(running);
  await Promise.allSettled([closeAppDeps(appDeps), closeActivityDeps(activityDeps), clientConn.close(), nativeConnection.close()]);
  await Promise.all([payments.close(), mail.close(), carriers.close()]);
  await temporalProc.stop();
  await dropDatabase(dbUrl.toString());
  rmSync(dataDir, { recursive: true, force: true });
  if (!onDisk) for (const suffix of ['', '-wal', '-shm']) rmSync(`${temporalDb}${suffix}`, { force: true });
}

/** `concurrency` clients each starting and awaiting an empty workflow in a loop. */
async function runBaseline(client: Client, taskQueue: string, concurrency: number, durationS: number, temporalPid: number | undefined) {
  const before = sampleCpu(temporalPid);
  const deadline = Date.now() + durationS * 1000;
  const latencies: number[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      while (Date.now() < deadline) {
        const t = performance.now();
        await client.workflow.execute('benchEmpty', { taskQueue, workflowId: `empty-${c}-${n++}-${Math.random().toString(36).slice(2)}` });
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: round(latencies.length / durationS),
    p50: Math.round(pct(latencies, 50)),
    p99: Math.round(pct(latencies, 99)),
    cpu: cpuDelta(before, sampleCpu(temporalPid)),
  };
}

/** Places orders in a loop from `concurrency` clients; with `complete`, ships and delivers each. */
async function placeMany(
  apiUrl: string,
  newOrder: () => { key: string; token: string; body: string },
  concurrency: number,
  durationS: number,
  onLatency: (ms: number) => void,
  complete = false,
): Promise<{ completed: number }> {
  const deadline = Date.now() + durationS * 1000;
  let completed = 0;
  const post = (url: string, body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const o = newOrder();
        const t = performance.now();
        const res = await post(`${apiUrl}/v1/orders`, o.body, {
          authorization: `Bearer ${KEYS.storefront}`,
          'idempotency-key': o.key,
          'x-customer-token': o.token,
        });
        const order = (await res.json()) as { id: string; status: string };
        if (res.status !== 201 && res.status !== 202) continue;
        if (complete && order.status !== 'confirmed' && !(await waitConfirmed(apiUrl, order.id, deadline))) continue;
        if (!complete && res.status !== 201) continue;
        if (complete) {
          const ops = { authorization: `Bearer ${KEYS.ops}` };
          const s = await post(`${apiUrl}/v1/ops/orders/${order.id}/status`, JSON.stringify({ status: 'shipped', note: '' }), ops);
          await s.arrayBuffer();
          const d = await post(`${apiUrl}/v1/ops/orders/${order.id}/status`, JSON.stringify({ status: 'delivered', note: '' }), ops);
          await d.arrayBuffer();
          if (d.status !== 200) continue;
        }
        onLatency(performance.now() - t);
        completed++;
      }
    }),
  );
  return { completed };
}

/** A 202 order: poll until it is confirmed (the shipment needs it), or give up at the deadline. */
async function waitConfirmed(apiUrl: string, id: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline + 10_000) {
    const r = await fetch(`${apiUrl}/v1/orders/${id}`, { headers: { authorization: `Bearer ${KEYS.ops}` } });
    const o = (await r.json()) as { status?: string };
    if (o.status === 'confirmed') return true;
    if (o.status !== 'placed') return false;
    await new Promise((res) => setTimeout(res, 100));
  }
  return false;
}

async function completedHistories(client: Client, deps: AppDeps, runId: string): Promise<number | null> {
  const rows = await deps.db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', 'delivered')
    .where('customer_id', 'like', `bench-${runId}-%`)
    .limit(10)
    .execute();
  const counts: number[] = [];
  for (const r of rows) {
    const handle = client.workflow.getHandle(orderWorkflowId(r.id));
    await handle.result();
    counts.push((await handle.fetchHistory()).events?.length ?? 0);
  }
  return counts.length ? Math.round(counts.reduce((a, b) => a + b, 0) / counts.length) : null;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
