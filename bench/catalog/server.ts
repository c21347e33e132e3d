/**
 * The servers of the catalog benchmark, in a process of their own (so the load generator in the
 * parent does not share this event loop): (a) a bare Express app answering a constant JSON body
 * the size of a product detail, (b) the real API with the cache, (c) the real API with
 * CACHE_ENABLED=false. Reports its ports to the parent over IPC.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../../api/app';
import { closeAppDeps, createAppDeps } from '../../api/deps';
import { redisReady } from '../../cache/redis';
import { loadConfig } from '../../config';
import { createLogger } from '../../observability/logger';

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

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
