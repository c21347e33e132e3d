/**
 * Rate limits (CONTRACT v1.1 "Limits"): buckets in Redis per client IP and per API key, per route
 * group; 429 `rate_limited` with Retry-After and RateLimit-* headers; the dev defaults let a
 * burst of 100 through and stop a burst of 400; Redis down → fail open, counted.
 */
import { clientAddressBucket, rateLimitGroup } from '../../api/middleware/rate-limit';
import { createDb, type Db } from '../../db/connection';
import { authHeader, startTestApi, type TestApi } from '../support/app';
import { createProduct, type ProductFixture } from '../support/fixtures';
import { getJson } from '../support/http';

let db: Db;
let product: ProductFixture;
const apis: TestApi[] = [];

async function api(overrides: Record<string, string> = {}): Promise<TestApi> {
  const a = await startTestApi(overrides);
  apis.push(a);
  return a;
}

beforeAll(async () => {
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
  product = await createProduct(db, { stock: { 'wh-east': 10 } });
});
afterAll(async () => {
  await Promise.allSettled(apis.map((a) => a.close()));
  await db?.destroy();
});

const burst = (url: string, n: number, init?: RequestInit) =>
  Promise.all(
    Array.from({ length: n }, () => fetch(url, init).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }))),
  );

test('over the limit: 429 rate_limited problem+json with Retry-After; RateLimit-* headers on every counted answer', async () => {
  const a = await api({ RATE_LIMIT_PUBLIC_IP: '5', RATE_LIMIT_WINDOW_SECONDS: '30' });
  const url = `${a.url}/v1/products/${product.sku}`;
  const remaining: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await fetch(url);
    await r.text();
    expect(r.status).toBe(200);
    expect(r.headers.get('ratelimit-limit')).toBe('5');
    remaining.push(r.headers.get('ratelimit-remaining') ?? '');
    const reset = Number(r.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(30);
  }
  expect(remaining).toEqual(['4', '3', '2', '1', '0']);
  const over = await getJson(url);
  expect(over.status).toBe(429);
  expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(over.body).toMatchObject({ code: 'rate_limited', status: 429, group: 'public', limit: 5 });
  const retryAfter = Number(over.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(30);
  expect(over.headers.get('ratelimit-remaining')).toBe('0');
  // Probes are never limited.
  expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
  // Another group has its own bucket: search is still allowed (200, or 503 if the index is not built).
  expect((await fetch(`${a.url}/v1/search?q=x`)).status).not.toBe(429);
  const metrics = await a.deps.metrics.registry.getSingleMetricAsString('rate_limited_total');
  expect(metrics).toMatch(/rate_limited_total\{group="public"\} 1/);
});

test('a valid API key has its own bucket; an unknown key counts against the IP', async () => {
  const a = await api({ RATE_LIMIT_OPS_IP: '2', RATE_LIMIT_OPS_KEY: '4', RATE_LIMIT_WINDOW_SECONDS: '30' });
  const url = `${a.url}/v1/ops/inventory/${product.sku}`;
  // Anonymous (401s) and bad keys exhaust the IP bucket of the ops group…
  expect((await fetch(url)).status).toBe(401);
  expect((await fetch(url, { headers: { authorization: 'Bearer not-a-key-1' } })).status).toBe(401);
  const third = await fetch(url, { headers: { authorization: 'Bearer not-a-key-2' } });
  expect(third.status).toBe(429);
  // …but the ops key is counted on its own, with its own limit.
  const keyed = await burst(url, 6, { headers: authHeader('ops') });
  expect(keyed.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 429, 429]);
  expect(keyed.find((r) => r.status === 200)?.headers.get('ratelimit-limit')).toBe('4');
});

test('the order placement group counts every request from an IP, malformed and unauthenticated ones included', async () => {
  const a = await api({ RATE_LIMIT_ORDERS_IP: '2', RATE_LIMIT_WINDOW_SECONDS: '30' });
  const post = () => fetch(`${a.url}/v1/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  expect((await post()).status).toBe(400); // malformed JSON, unauthenticated: still counted
  expect((await post()).status).toBe(400);
  const r = await post();
  expect(r.status).toBe(429);
  expect(r.headers.get('retry-after')).toBeTruthy();
});

test('dev defaults: a burst of 100 public requests from one client passes; a burst of 400 within a second is stopped', async () => {
  const a = await api();
  const url = `${a.url}/v1/products/${product.sku}`;
  const hundred = await burst(url, 100);
  expect(hundred.filter((r) => r.status !== 200)).toEqual([]);

  // The default 200 per window, in a window longer than the default 10 s: a loaded test machine
  // can take longer than 10 s to send 400 requests, and the next window would let more through.
  const b = await api({ RATE_LIMIT_WINDOW_SECONDS: '120' });
  expect(b.deps.config.RATE_LIMIT_PUBLIC_IP).toBe(200);
  const four = await burst(`${b.url}/v1/products/${product.sku}`, 400);
  expect(four.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
  expect(four.filter((r) => r.status === 429)).toHaveLength(200);
});

test('Redis down: the limiter fails open, logged and counted', async () => {
  const a = await api({ RATE_LIMIT_PUBLIC_IP: '2' });
  a.deps.redis.disconnect(); // product reads bypass the cache; the limiter cannot count
  const statuses = (await burst(`${a.url}/v1/products/${product.sku}`, 5)).map((r) => r.status);
  expect(statuses).toEqual([200, 200, 200, 200, 200]);
  const text = await a.deps.metrics.registry.getSingleMetricAsString('rate_limit_fail_open_total');
  expect(text).toMatch(/rate_limit_fail_open_total\{group="public"\} 5/);
});

test('route groups and client buckets', () => {
  expect(rateLimitGroup('GET', '/v1/products/abc')).toBe('public');
  expect(rateLimitGroup('GET', '/v1/orders/abc')).toBe('public');
  expect(rateLimitGroup('GET', '/v1/search')).toBe('search');
  expect(rateLimitGroup('POST', '/v1/shipping/rates')).toBe('shipping');
  expect(rateLimitGroup('POST', '/v1/orders')).toBe('orders');
  expect(rateLimitGroup('POST', '/v1/orders/o1/cancel')).toBe('orders');
  expect(rateLimitGroup('PUT', '/v1/ops/inventory/x')).toBe('ops');
  expect(rateLimitGroup('POST', '/v1/admin/products')).toBe('ops');
  expect(rateLimitGroup('POST', '/codec/decode')).toBe('ops');
  expect(rateLimitGroup('GET', '/healthz')).toBeUndefined();
  expect(rateLimitGroup('GET', '/metrics')).toBeUndefined();
  expect(rateLimitGroup('POST', '/v1/webhooks/carriers/swiftship')).toBeUndefined();
  expect(clientAddressBucket('203.0.113.9')).toBe('203.0.113.9');
  expect(clientAddressBucket('::ffff:203.0.113.9')).toBe('203.0.113.9');
  expect(clientAddressBucket('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
  expect(clientAddressBucket('2001:db8:0:1:bbbb:cccc:dddd:eeee')).toBe('2001:db8:0:1::/64');
  expect(clientAddressBucket('::1')).toBe('0:0:0:0::/64');
});

test('/openapi.json documents the 429 on every rate-limited operation, and not on the unlimited ones', async () => {
  const a = await api();
  const doc = (await getJson(`${a.url}/openapi.json`)).body;
  expect(doc.paths['/v1/products/{idOrSku}'].get.responses['429']).toBeDefined();
  expect(doc.paths['/v1/shipping/rates'].post.responses['429']).toBeDefined();
  expect(doc.paths['/v1/orders'].post.responses['429']).toBeDefined();
  expect(doc.paths['/v1/webhooks/carriers/{carrier}'].post.responses['429']).toBeUndefined();
});
