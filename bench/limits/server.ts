/**
 * The servers of bench/limits/burst.ts, in a process of their own (the load generator must not
 * share this event loop): a Temporal dev server, a shipping worker, the carrier sandbox (100 ms
 * per call) and the real API with the dev default limits, on its own database
 * (cathay_bench_limits) and Redis prefix. Reports its URL over IPC; answers `stats` (carrier rate
 * calls so far) and `stop`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createApp } from '../../api/app';
import { closeAppDeps, createAppDeps } from '../../api/deps';
import { createHttpServer } from '../../api/http-server';
import { redisReady } from '../../cache/redis';
import { loadConfig } from '../../config';
import { startCarrierSandbox } from '../../integrations/sandbox/carrier-server';
import { createLogger } from '../../observability/logger';
import { startLocalTemporal } from '../../stack/local-temporal';
import { bundleWorkflows } from '../../workers/bundle';
import { createWorkers } from '../../workers/create-workers';
import { benchDatabaseWithProducts } from '../support';

const SKUS = ['BENCH-LIMITS-1', 'BENCH-LIMITS-2', 'BENCH-LIMITS-3'];
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function main() {
  const runId = Date.now().toString(36);
  Runtime.install({ logger: quiet, telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });

  const databaseUrl = await benchDatabaseWithProducts('cathay_bench_limits', SKUS);
  const product = SKUS[0] as string;

  const [temporal, bundle, sandbox] = await Promise.all([
    startLocalTemporal(),
    bundleWorkflows(quiet),
    startCarrierSandbox({ port: 0, webhookUrl: null, secret: 'dev-webhook-secret' }),
  ]);
  // The dev defaults of every limit: only what makes this an isolated run is overridden.
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: `bench:limits:${runId}:`,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE_PREFIX: `bench-limits-${runId}-`,
    CARRIER_URL: sandbox.url,
    CARRIERS_ENABLED: 'swiftship,parcelpro',
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
    const s = createHttpServer(createApp(appDeps)).listen(0, '0.0.0.0', () => resolve(s));
  });
  await fetch(`${sandbox.url}/__faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: 100 }),
  });

  process.on('message', async (m) => {
    if (m === 'stats') {
      const s = sandbox.stats();
      process.send?.({ reply: 'stats', value: { swiftship: s.swiftship?.rates ?? 0, parcelpro: s.parcelpro?.rates ?? 0 } });
    }
    if (m === 'stop') {
      server.closeAllConnections();
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await connection.close();
      await Promise.allSettled([closeAppDeps(appDeps), closeActivityDeps(activityDeps), sandbox.close()]);
      await temporal.teardown();
      process.send?.({ reply: 'stop' });
      process.exit(0);
    }
  });
  process.send?.({
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sku: product,
    rateSkus: SKUS,
    deadlineMs: config.SHIPPING_RATES_DEADLINE_MS,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
