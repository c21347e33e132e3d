/**
 * The catalog cache against real Postgres and Redis: single flight under 500 concurrent cold
 * reads, coherence through the outbox invalidator, the read/evict race, and Redis dying mid-test.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { catalogCaches } from '../../cache/catalog-caches';
import { type CacheInvalidator, drainCacheOutbox, startCacheInvalidator } from '../../cache/invalidator';
import { productKeys } from '../../cache/keys';
import { evictKeys, ReadThroughCache } from '../../cache/read-through';
import { createRedis, type Redis, redisReady } from '../../cache/redis';
import { createDb, type Db } from '../../db/connection';
import { releaseStock, reserveStock } from '../../db/queries/inventory';
import { createLogger } from '../../observability/logger';
import { createMetrics } from '../../observability/metrics';
import { authHeader } from '../support/app';
import { type CatalogTestApi, createProductViaApi, eventually, setStock, startCatalogApi, startOwnRedis } from '../support/catalog';
import { testConfig, uniqueId } from '../support/config';
import { getJson, type Json } from '../support/http';

// A key prefix of this file's own: other files of the run cache the same store config key.
// Its bursts of 500 anonymous reads test single flight, not the rate limiter: a limit above them.
const PREFIX = { REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}catalog-cache:`, RATE_LIMIT_PUBLIC_IP: '100000' };
const config = testConfig(PREFIX);
let api: CatalogTestApi;
let db: Db;
let redis: Redis;
beforeAll(async () => {
  api = await startCatalogApi(PREFIX, { redisCommandTimeoutMs: 10_000 });
  db = createDb({ connectionString: config.DATABASE_URL, max: 4 });
  redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  await redisReady(redis);
});
afterAll(async () => {
  await api?.close();
  await db?.destroy();
  redis?.disconnect();
});

const detail = async (url: string, key: string) => (await getJson(`${url}/v1/products/${key}`)).body as Json;

describe('single flight', () => {
  test('500 concurrent requests for a cold product → one Postgres query, every answer identical', async () => {
    const p = await createProductViaApi(api.url);
    await catalogCaches(api.deps).products.evict(p);
    api.counter.count = 0;
    const results = await Promise.all(
      Array.from({ length: 500 }, () =>
        fetch(`${api.url}/v1/products/${p.sku}`).then(async (r) => [r.status, r.headers.get('etag'), await r.text()] as const),
      ),
    );
    expect(api.counter.count).toBe(1);
    expect(new Set(results.map((r) => r[0]))).toEqual(new Set([200]));
    expect(new Set(results.map((r) => r[1])).size).toBe(1);
    expect(new Set(results.map((r) => r[2])).size).toBe(1);
    // and it is now cached: another 50 cost nothing
    await Promise.all(Array.from({ length: 50 }, () => fetch(`${api.url}/v1/products/${p.id}`).then((r) => r.text())));
    await Promise.all(Array.from({ length: 50 }, () => fetch(`${api.url}/v1/products/${p.id}`).then((r) => r.text())));
    expect(api.counter.count).toBe(2); // one more: the first read by id (a different key) only
  });

  test('500 concurrent requests for the cold store config → one query', async () => {
    await catalogCaches(api.deps).readThrough.evict(['store:config:v1'], 'test');
    api.counter.count = 0;
    const statuses = await Promise.all(Array.from({ length: 500 }, () => fetch(`${api.url}/v1/store/config`).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const fallbacks = /dependency_fallback_total\{dependency="redis",operation="store_config"\} (\d+)/.exec(
      await (await fetch(`${api.url}/metrics`, { headers: authHeader('ops') })).text(),
    );
    expect(fallbacks?.[1]).toBeUndefined();
    expect(api.counter.count).toBe(1);
  });

  test('with the cache disabled, concurrent reads of one product still coalesce into one query', async () => {
    const bypass = await startCatalogApi({ CACHE_ENABLED: 'false' });
    try {
      const p = await createProductViaApi(bypass.url);
      bypass.counter.count = 0;
      await Promise.all(Array.from({ length: 200 }, () => fetch(`${bypass.url}/v1/products/${p.sku}`).then((r) => r.text())));
      expect(bypass.counter.count).toBeGreaterThanOrEqual(1);
      expect(bypass.counter.count).toBeLessThan(200);
    } finally {
      await bypass.close();
    }
  });
});

describe('coherence through the outbox', () => {
  let invalidator: CacheInvalidator;
  beforeAll(() => {
    invalidator = startCacheInvalidator({
      db,
      databaseUrl: config.DATABASE_URL,
      redis,
      logger: createLogger({ level: 'silent' }),
      pollMs: 60_000, // only NOTIFY can make these tests pass in time
    });
  });
  afterAll(async () => invalidator?.stop());

  test('a stock change (another process, outbox row only) reaches the cached detail page', async () => {
    const p = await createProductViaApi(api.url);
    expect((await detail(api.url, p.sku)).availability).toEqual({ status: 'out_of_stock', available: 0 });
    expect((await detail(api.url, p.id)).availability.available).toBe(0); // both keys cached
    await setStock(db, p.sku, 9, 2, 'wh-central');
    // Both cached forms (by sku and by id) converge; polled, never timed.
    const seen = await eventually(
      async () => [await detail(api.url, p.sku), await detail(api.url, p.id)],
      ([bySku, byId]) => bySku.availability.available === 7 && byId.availability.available === 7,
    );
    expect(seen.map((b) => b.availability)).toEqual([
      { status: 'in_stock', available: 7 },
      { status: 'in_stock', available: 7 },
    ]);
    const pending = await db.selectFrom('outbox').select('cache_processed_at').where('aggregate_id', '=', p.sku).execute();
    await eventually(
      async () => db.selectFrom('outbox').select('cache_processed_at').where('aggregate_id', '=', p.sku).execute(),
      (rows) => rows.every((r) => r.cache_processed_at !== null),
    );
    expect(pending.length).toBe(1);
  });

  test('a reservation and its release (the inventory functions) reach the cached detail page', async () => {
    const p = await createProductViaApi(api.url);
    await setStock(db, p.sku, 6, 0, 'wh-west');
    await eventually(
      () => detail(api.url, p.sku),
      (b) => b.availability.available === 6,
    );
    const orderId = uniqueId('order-');
    const reserved = await reserveStock(db, orderId, [{ sku: p.sku, quantity: 4 }], new Date(Date.now() + 60_000));
    expect(reserved.ok).toBe(true);
    const low = await eventually(
      () => detail(api.url, p.sku),
      (b) => b.availability.available === 2,
    );
    expect(low.availability).toEqual({ status: 'low_stock', available: 2 });
    expect(await releaseStock(db, orderId, 'test')).toBe(1);
    const back = await eventually(
      () => detail(api.url, p.sku),
      (b) => b.availability.available === 6,
    );
    expect(back.availability).toEqual({ status: 'in_stock', available: 6 });
  });

  test('a product update committed elsewhere (SQL + outbox row, no direct eviction) is seen through the outbox', async () => {
    const p = await createProductViaApi(api.url);
    expect((await detail(api.url, p.sku)).price.amount).toBe(1999);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('products').set({ price_amount: 4242 }).where('id', '=', p.id).execute();
      await trx
        .insertInto('outbox')
        .values({ topic: 'product', aggregate_id: p.id, payload: JSON.stringify({ sku: p.sku, op: 'upsert' }) })
        .execute();
    });
    const seen = await eventually(
      () => detail(api.url, p.sku),
      (b) => b.price.amount === 4242,
    );
    expect(seen.price).toEqual({ amount: 4242, currency: 'USD' });
  });

  test('an admin price update on one API instance is read by another instance sharing Redis', async () => {
    const other = await startCatalogApi(PREFIX);
    try {
      const p = await createProductViaApi(api.url);
      expect((await detail(other.url, p.id)).price.amount).toBe(1999); // cached by the other instance
      const res = await getJson(`${api.url}/v1/admin/products/${p.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...authHeader('admin') },
        body: JSON.stringify({ price: { amount: 1234, currency: 'USD' } }),
      });
      expect(res.status).toBe(200);
      const seen = await eventually(
        () => detail(other.url, p.id),
        (b) => b.price.amount === 1234,
      );
      expect(seen.price.amount).toBe(1234);
    } finally {
      await other.close();
    }
  });

  test('list pages are cached, and a stock or price change retires them through the outbox', async () => {
    const category = uniqueId('cached-list-').toLowerCase();
    const p = await createProductViaApi(api.url, { category, brand: 'Zeta' });
    // Let the invalidator see the creation first (it retires list pages too), so the count below is exact.
    await eventually(
      () => db.selectFrom('outbox').select('cache_processed_at').where('aggregate_id', '=', p.id).execute(),
      (rows) => rows.every((r) => r.cache_processed_at !== null),
    );
    const q1 = `/v1/products?category=${category}&brand=Zeta&brand=Alpha&fields=sku,price,availability`;
    const q2 = `/v1/products?brand=Alpha&fields=availability,price,sku&brand=Zeta&category=${category}`; // same page
    const first = (await getJson(`${api.url}${q1}`)).body;
    expect(first.data).toEqual([{ sku: p.sku, price: { amount: 1999, currency: 'USD' }, availability: { status: 'out_of_stock' } }]);
    // Served from Redis: five reads, no query. Other test files write products into the same
    // run database at the same time, and any product change retires every list page, so a
    // window may see one refill; caching is proven by a window with no query at all.
    const readsPerWindow = await eventually(
      async () => {
        api.counter.count = 0;
        for (let i = 0; i < 5; i++) expect((await getJson(`${api.url}${i % 2 ? q1 : q2}`)).body).toEqual(first);
        return api.counter.count;
      },
      (n) => n === 0,
    );
    expect(readsPerWindow).toBe(0);

    await setStock(db, p.sku, 50, 0, 'wh-east'); // another process: only the outbox tells us
    const inStock = await eventually(
      async () => (await getJson(`${api.url}${q2}`)).body,
      (b) => b.data[0]?.availability.status === 'in_stock',
    );
    expect(inStock.data[0].price.amount).toBe(1999);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('products').set({ price_amount: 2999 }).where('id', '=', p.id).execute();
      await trx
        .insertInto('outbox')
        .values({ topic: 'product', aggregate_id: p.id, payload: JSON.stringify({ sku: p.sku, op: 'upsert' }) })
        .execute();
    });
    const repriced = await eventually(
      async () => (await getJson(`${api.url}${q1}`)).body,
      (b) => b.data[0]?.price.amount === 2999,
    );
    expect(repriced.data[0].availability.status).toBe('in_stock');
  });

  test('the search sync column and the cache column are independent', async () => {
    const p = await createProductViaApi(api.url);
    await eventually(
      () => db.selectFrom('outbox').selectAll().where('aggregate_id', '=', p.id).executeTakeFirstOrThrow(),
      (r) => r.cache_processed_at !== null,
    );
    const row = await db.selectFrom('outbox').selectAll().where('aggregate_id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.processed_at).toBeNull();
  });
});

describe('read/evict race', () => {
  test('a load that started before an eviction does not put its stale value back', async () => {
    const rt = new ReadThroughCache({ redis, logger: createLogger({ level: 'silent' }), metrics: createMetrics(), enabled: true });
    const key = `race:${uniqueId()}`;
    let release!: (v: string) => void;
    const slow = rt.get(key, 'test', () => new Promise((r) => (release = (v) => r({ value: Buffer.from(v), ttlSeconds: 60 }))));
    await new Promise((r) => setTimeout(r, 20)); // the loader has read the generation
    await evictKeys(redis, [key]); // a write commits and is evicted while the load is in flight
    release('stale');
    expect((await slow).toString()).toBe('stale'); // that caller gets what it read…
    expect(await redis.get(key)).toBeNull(); // …but it is not cached
    const fresh = await rt.get(key, 'test', async () => ({ value: Buffer.from('fresh'), ttlSeconds: 60 }));
    expect(fresh.toString()).toBe('fresh');
    expect(await redis.get(key)).toBe('fresh');
  });
});

describe('Redis down', () => {
  test('Redis killed mid-test: detail, list, store config and admin writes still answer from Postgres; logged once; metric raised', async () => {
    const own = await startOwnRedis();
    const lines: Json[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const logger = pino({ level: 'warn' }, sink);
    const down = await startCatalogApi({ REDIS_URL: own.url }, { logger });
    try {
      const p = await createProductViaApi(down.url);
      const before = await detail(down.url, p.sku);
      expect(before.sku).toBe(p.sku);
      expect(await down.deps.redis.exists(productKeys(p)[0]!)).toBe(1); // really cached in the test's Redis

      await own.proc.stop(); // Redis dies
      for (let i = 0; i < 20; i++) {
        const res = await getJson(`${down.url}/v1/products/${p.sku}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(before);
      }
      expect((await getJson(`${down.url}/v1/products?limit=5`)).status).toBe(200);
      expect((await getJson(`${down.url}/v1/store/config`)).status).toBe(200);
      const patched = await getJson(`${down.url}/v1/admin/products/${p.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...authHeader('admin') },
        body: JSON.stringify({ price: { amount: 777, currency: 'USD' } }),
      });
      expect(patched.status).toBe(200);
      expect((await detail(down.url, p.id)).price.amount).toBe(777);
      expect((await getJson(`${down.url}/v1/products/NO-SUCH-${uniqueId()}`)).status).toBe(404);

      const metrics = await (await fetch(`${down.url}/metrics`, { headers: authHeader('ops') })).text();
      const m = /dependency_fallback_total\{dependency="redis",operation="product_detail"\} (\d+)/.exec(metrics);
      expect(Number(m?.[1])).toBeGreaterThanOrEqual(20);
      expect(lines.filter((l) => /cache bypassed, reading Postgres/.test(l.msg))).toHaveLength(1);

      // Redis comes back (empty): the cache fills again.
      const back = await startOwnRedis(own.port);
      try {
        await eventually(
          async () => {
            await fetch(`${down.url}/v1/products/${p.sku}`).then((r) => r.text());
            return down.deps.redis.status === 'ready' ? down.deps.redis.exists(productKeys(p)[0]!) : 0;
          },
          (n) => n === 1,
          100,
        );
        expect((await detail(down.url, p.sku)).price.amount).toBe(777);
        await down.close(); // while Redis is up, so the client quits cleanly
      } finally {
        await back.proc.stop();
      }
    } finally {
      await down.close();
      await own.proc.stop();
    }
  });

  test('the invalidator keeps rows pending while Redis is unreachable', async () => {
    const dead = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    dead.on('error', () => {});
    dead.disconnect(); // closed: every command fails at once
    try {
      const sku = uniqueId('GHOST-');
      await db.insertInto('outbox').values({ topic: 'stock', aggregate_id: sku, payload: '{}' }).execute();
      // Other consumers of this run may hold or drain rows; ours either fails or finds nothing claimable.
      const attempt = await drainCacheOutbox(db, dead, 10_000).then(
        (n) => ({ failed: false, n }),
        () => ({ failed: true, n: 0 }),
      );
      if (attempt.failed) {
        const row = await db.selectFrom('outbox').select('cache_processed_at').where('aggregate_id', '=', sku).executeTakeFirstOrThrow();
        expect(row.cache_processed_at).toBeNull();
      } else {
        expect(attempt.n).toBe(0);
      }
    } finally {
      dead.disconnect();
    }
  });
});
