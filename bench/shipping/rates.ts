/**
 * `npm run bench:shipping`: POST /v1/shipping/rates through the real API, the shippingQuote
 * workflow on a Temporal dev server of its own, and the carrier sandbox with 100 ms per call.
 * Cases: cache miss (one request at a time, and under load), cache hit, and both with one carrier
 * hanging; plus the floor: the same two carrier calls made directly in parallel, no API/Temporal.
 * Prints one JSON line per case; `ratioToIdeal` = p50 / the ideal (max carrier latency for a
 * miss, the deadline when a carrier hangs).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createApp } from '../../api/app';
import { closeAppDeps, createAppDeps } from '../../api/deps';
import { createHttpServer } from '../../api/http-server';
import { redisReady } from '../../cache/redis';
import { loadConfig } from '../../config';
import { createCarriers } from '../../integrations/carriers';
import { startCarrierSandbox } from '../../integrations/sandbox/carrier-server';
import { createLogger } from '../../observability/logger';
import { startLocalTemporal } from '../../stack/local-temporal';
import { bundleWorkflows } from '../../workers/bundle';
import { createWorkers } from '../../workers/create-workers';
import { benchDatabaseWithProducts, percentile } from '../support';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
// autocannon ships no types; this is the part of its API used here.
const autocannon: (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult> = require('autocannon');

const CARRIER_LATENCY_MS = 100;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const SKUS = ['BENCH-SHIP-1', 'BENCH-SHIP-2', 'BENCH-SHIP-3'];

function print(line: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'shipping', ...line })}\n`);
}

let seq = 0;
function uniqueBody(): string {
  seq++;
  return JSON.stringify({
    destination: { country: 'US', postalCode: String(10_000 + (seq % 89_999)), city: `bench-${seq}` },
    items: [
      { sku: SKUS[seq % 3], quantity: 1 + (seq % 4) },
      { sku: SKUS[(seq + 1) % 3], quantity: 1 },
    ],
  });
}
const FIXED_BODY = JSON.stringify({ destination: { country: 'US', postalCode: '94105' }, items: [{ sku: SKUS[0], quantity: 2 }] });

async function main() {
  const t0 = Date.now();
  const runId = Date.now().toString(36);
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    // A hung carrier's late attempt completes after its workflow answered: expected here, not news.
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });

  const databaseUrl = await benchDatabaseWithProducts('cathay_bench_shipping', SKUS);

  const [temporal, bundle, sandbox] = await Promise.all([
    startLocalTemporal(),
    bundleWorkflows({ log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} }),
    startCarrierSandbox({ port: 0, webhookUrl: null, secret: 'dev-webhook-secret' }),
  ]);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: `bench:shipping:${runId}:`,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE_PREFIX: `bench-${runId}-`,
    CARRIER_URL: sandbox.url,
    CARRIERS_ENABLED: 'swiftship,parcelpro',
    // production refuses to run without payload keys: a throwaway one per bench run
    PAYLOAD_CODEC_KEYS: process.env.PAYLOAD_CODEC_KEYS ?? `bench:${randomBytes(32).toString('base64')}`,
    // one load generator on one IP: measure the limiter's cost, not its refusals
    RATE_LIMIT_SHIPPING_IP: process.env.RATE_LIMIT_SHIPPING_IP ?? '1000000000',
  });
  const logger = createLogger({ level: 'silent' });
  const activityDeps = createActivityDeps(config, logger);
  const connection = await NativeConnection.connect({ address: temporal.address });
  const workers = await createWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    queues: ['shipping'],
    workflowBundle: bundle,
    deps: activityDeps,
  });
  const running = workers.map((w) => w.run());
  const appDeps = createAppDeps(config, logger);
  await redisReady(appDeps.redis);
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(createApp(appDeps)).listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const faults = (body: unknown) =>
    fetch(`${sandbox.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await faults({ latencyMs: CARRIER_LATENCY_MS });
  print({ case: 'setup', ms: Date.now() - t0, carrierLatencyMs: CARRIER_LATENCY_MS, deadlineMs: config.SHIPPING_RATES_DEADLINE_MS });

  const post = (body: string) =>
    fetch(`${apiUrl}/v1/shipping/rates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const request: AutocannonRequest = { method: 'POST', path: '/v1/shipping/rates', headers: { 'content-type': 'application/json' } };

  async function serial(name: string, n: number, body: () => string, ideal: number) {
    const times: number[] = [];
    let failures = 0;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const res = await post(body());
      const json = (await res.json()) as { quotes?: unknown[] };
      times.push(performance.now() - t);
      if (res.status !== 200 || !json.quotes?.length) failures++;
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    print({
      case: name,
      connections: 1,
      requests: n,
      rps: +(1000 / (times.reduce((a, b) => a + b, 0) / n)).toFixed(1),
      p50: +p50.toFixed(1),
      p99: +percentile(times, 99).toFixed(1),
      failures,
      idealMs: ideal,
      ratioToIdeal: +(p50 / ideal).toFixed(2),
    });
  }

  async function load(name: string, connections: number, body: (() => string) | string, ideal: number) {
    const r = await autocannon({
      url: apiUrl,
      connections,
      duration: DURATION_S,
      timeout: 10,
      requests: [typeof body === 'string' ? { ...request, body } : { ...request, setupRequest: (req) => ({ ...req, body: body() }) }],
    });
    print({
      case: name,
      connections,
      requests: r.requests.total,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      idealMs: ideal,
      ratioToIdeal: +(r.latency.p50 / ideal).toFixed(2),
    });
  }

  // The floor: both carriers asked directly and in parallel, no API, no Temporal.
  const carriers = createCarriers(config);
  const direct: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await Promise.all(
      carriers
        .names()
        .map((c) => carriers.require(c).rates({ destination: { country: 'US', postalCode: '10001' }, parcels: [{ weightGrams: 1000 }] })),
    );
    direct.push(performance.now() - t);
  }
  direct.sort((a, b) => a - b);
  print({
    case: 'direct-fanout-floor',
    connections: 1,
    requests: 30,
    p50: +percentile(direct, 50).toFixed(1),
    p99: +percentile(direct, 99).toFixed(1),
    idealMs: CARRIER_LATENCY_MS,
    ratioToIdeal: +(percentile(direct, 50) / CARRIER_LATENCY_MS).toFixed(2),
  });

  await serial('miss-serial', 40, uniqueBody, CARRIER_LATENCY_MS);
  await load('miss', 10, uniqueBody, CARRIER_LATENCY_MS);
  await post(FIXED_BODY);
  await load('hit', 50, FIXED_BODY, CARRIER_LATENCY_MS);

  await faults({ carrier: 'parcelpro', hang: true });
  await serial('miss-one-hanging-serial', 4, uniqueBody, config.SHIPPING_RATES_DEADLINE_MS);
  await load('miss-one-hanging', 20, uniqueBody, config.SHIPPING_RATES_DEADLINE_MS);
  const hangBody = JSON.stringify({ destination: { country: 'US', postalCode: '30301' }, items: [{ sku: SKUS[1], quantity: 1 }] });
  await post(hangBody);
  await load('hit-one-hanging', 50, hangBody, CARRIER_LATENCY_MS);
  await faults({ reset: true });

  const stats = sandbox.stats();
  print({ case: 'carrier-calls', swiftship: stats.swiftship?.rates, parcelpro: stats.parcelpro?.requests, ms: Date.now() - t0 });

  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  for (const w of workers) w.shutdown();
  await Promise.allSettled(running);
  await connection.close();
  await Promise.allSettled([closeAppDeps(appDeps), closeActivityDeps(activityDeps), sandbox.close()]);
  await temporal.teardown();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
