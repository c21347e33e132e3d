/** Helpers for catalog tests: an API whose Postgres reads can be counted, products, stock. */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createApp } from '../../api/app';
import { type AppDeps, closeAppDeps, createAppDeps } from '../../api/deps';
import { createRedis, redisReady } from '../../cache/redis';
import type { Db } from '../../db/connection';
import { LOCATIONS } from '../../domain/db-enums';
import { createLogger, type Logger } from '../../observability/logger';
import { freePort, type ManagedProcess, startProcess, waitFor } from '../../stack/processes';
import { authHeader } from './app';
import { testConfig, uniqueId } from './config';
import { setStockLevel } from './fixtures';
import { getJson, type Json } from './http';

/** Counts SELECTs that read `products` through the Kysely instance it is plugged into. */
export class ProductReadCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"products"')) this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export interface CatalogTestApi {
  url: string;
  deps: AppDeps;
  counter: ProductReadCounter;
  close(): Promise<void>;
}

export async function startCatalogApi(
  overrides: Record<string, string> = {},
  opts: {
    waitForRedis?: boolean;
    logger?: Logger;
    /**
     * A Redis command timeout other than the production 1 s: a test that fires hundreds of
     * requests from the process that also serves them can stall its own event loop past 1 s, and
     * a test about single flight must not turn into one about slow-Redis bypasses.
     */
    redisCommandTimeoutMs?: number;
  } = {},
): Promise<CatalogTestApi> {
  const config = testConfig(overrides);
  const base = createAppDeps(config, opts.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'test-catalog' }));
  if (opts.redisCommandTimeoutMs) {
    base.redis.disconnect();
    base.redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX, commandTimeout: opts.redisCommandTimeoutMs });
    base.redis.on('error', () => {});
  }
  const counter = new ProductReadCounter();
  const rawDb = base.db;
  const deps: AppDeps = { ...base, db: rawDb.withPlugin(counter) };
  const app = createApp(deps);
  if (opts.waitForRedis ?? true) await redisReady(deps.redis);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    counter,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await closeAppDeps({ ...deps, db: rawDb });
    },
  };
}

export function productInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const sku = uniqueId('SKU-');
  return {
    sku,
    name: `Product ${sku}`,
    description: 'A thing worth having.',
    brand: 'Acme',
    category: 'gadgets',
    price: { amount: 1999, currency: 'USD' },
    images: [{ url: `https://img.example.com/${sku}/1.jpg`, alt: 'front' }],
    attributes: { color: 'red', weightGrams: 120 },
    ...overrides,
  };
}

export async function createProductViaApi(url: string, overrides: Record<string, unknown> = {}): Promise<Json> {
  const res = await getJson(`${url}/v1/admin/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeader('admin') },
    body: JSON.stringify(productInput(overrides)),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sets stock the way the inventory area does (see `setStockLevel`), at one location. */
export async function setStock(db: Db, sku: string, onHand: number, reserved = 0, location: (typeof LOCATIONS)[number] = LOCATIONS[0]) {
  await setStockLevel(db, sku, location, onHand, reserved);
}

/** Polls until `check` passes (no timed assertion: jest's timeout is the only limit). */
export async function eventually<T>(probe: () => Promise<T>, check: (v: T) => boolean, intervalMs = 50): Promise<T> {
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A redis-server of the test's own (never the machine's), on a free port, without persistence. */
export async function startOwnRedis(port?: number): Promise<{ url: string; port: number; proc: ManagedProcess }> {
  const p = port ?? (await freePort());
  const proc = startProcess('redis-test', 'redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const url = `redis://127.0.0.1:${p}`;
  await waitFor(`redis-server on ${p}`, () => rawPing(p), 10_000, proc);
  return { url, port: p, proc };
}

/** PING over a plain socket (an ioredis client that never connected keeps retrying in the background). */
function rawPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
