/**
 * The servers of the catalog benchmark, in a process of their own (so the load generator in the
 * parent does not share this event loop): (a) a bare Express app answering a constant JSON body
 * the size of a product detail, (b) the real API with the cache, (c) the real API with
 * CACHE_ENABLED=false. Reports its ports to the parent over IPC, and on 'gc' the GC pauses since
 * the last ask (count, total, longest, longest per kind), for the GC-under-contention bench.
 * BENCH_EXPRESS_LISTEN=1 serves them with Express's own `app.listen` instead of the API's
 * createHttpServer, to compare the two in one run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import express from 'express';
import { createApp } from '../../api/app';
import { closeAppDeps, createAppDeps } from '../../api/deps';
import { createHttpServer } from '../../api/http-server';
import { redisReady } from '../../cache/redis';
import { loadConfig } from '../../config';
import { createLogger } from '../../observability/logger';
import type { GcPauses } from './server-process';

function listen(app: express.Express): Promise<Server> {
  // Express's app.listen is createServer(app).listen: the two differ only in the server.
  const server = process.env.BENCH_EXPRESS_LISTEN === '1' ? createServer(app) : createHttpServer(app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const noPauses = (): GcPauses => ({ count: 0, totalMs: 0, maxMs: 0, maxByKind: {} });
let pauses = noPauses();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = GC_KINDS[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
    pauses.count++;
    pauses.totalMs += e.duration;
    pauses.maxMs = Math.max(pauses.maxMs, e.duration);
    pauses.maxByKind[kind] = Math.max(pauses.maxByKind[kind] ?? 0, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

async function main() {
  const sku = process.env.BENCH_SKU;
  if (!sku) throw new Error('BENCH_SKU is required');
  const logger = createLogger({ level: 'warn', name: 'bench-catalog' });
  // One load generator on one IP: the limiter runs (its cost is measured) but never refuses.
  const env = { RATE_LIMIT_PUBLIC_IP: '1000000000', ...process.env };
  const cachedDeps = createAppDeps(loadConfig(env), logger);
  const bypassDeps = createAppDeps(loadConfig({ ...env, CACHE_ENABLED: 'false' }), logger);
  await redisReady(cachedDeps.redis);
  const cached = await listen(createApp(cachedDeps));
  const bypass = await listen(createApp(bypassDeps));

  const detail = await fetch(`http://127.0.0.1:${portOf(cached)}/v1/products/${sku}`);
  if (detail.status !== 200) throw new Error(`detail of ${sku}: ${detail.status}`);
  const constant: unknown = await detail.json();
  const bare = express();
  bare.get('/bare', (_req, res) => {
    res.json(constant);
  });
  const bareServer = await listen(bare);

  process.send?.({ bare: portOf(bareServer), cached: portOf(cached), bypass: portOf(bypass), bytes: JSON.stringify(constant).length });
  process.on('message', async (m) => {
    if (m === 'gc') {
      process.send?.({ gc: pauses });
      pauses = noPauses();
    }
    if (m === 'stop') {
      for (const s of [bareServer, cached, bypass]) s.closeAllConnections();
      await Promise.allSettled([closeAppDeps(cachedDeps), closeAppDeps(bypassDeps)]);
      process.exit(0);
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
