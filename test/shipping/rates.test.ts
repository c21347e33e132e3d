/** POST /v1/shipping/rates against the carrier sandbox through the shippingQuote workflow. */
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createRedis } from '../../cache/redis';
import { resolveQuote } from '../../cache/shipping-quotes';
import { AppError } from '../../domain/errors';
import { planParcels } from '../../domain/shipping/parcels';
import { normalizeRatesRequest, ratesRequestHash } from '../../domain/shipping/rates-request';
import { SANDBOX_CARRIERS, sandboxRates } from '../../integrations/sandbox/carrier-pricing';
import { shippingQuoteWorkflowId } from '../../workflows/shipping-quote';
import { startTestApi, type TestApi } from '../support/app';
import { getJson, type Json } from '../support/http';
import { control, freshPostalCode, insertProducts, type Sandbox, startSandbox } from '../support/shipping';
import { recordHistory } from '../support/shipping-histories';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

let sandbox: Sandbox;
let workers: TestWorkers;
let api: TestApi;
let skus: string[];

beforeAll(async () => {
  sandbox = await startSandbox(null);
  // Own task queues: another file's workers (pointed at its own sandbox) must not take our tasks.
  const overrides = {
    TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}rates-`,
    CARRIER_URL: sandbox.url,
    CARRIERS_ENABLED: 'swiftship,parcelpro',
  };
  [workers, api] = await Promise.all([startTestWorkers({ queues: ['shipping'], overrides }), startTestApi(overrides)]);
  skus = await insertProducts(api.deps.db, [1200, 450, 31_000]);
});
afterAll(async () => {
  await api?.close();
  await workers?.close();
  await sandbox?.close();
});
afterEach(async () => {
  await control(sandbox, '/__faults', { reset: true });
});

function rates(body: unknown) {
  return getJson(`${api.url}/v1/shipping/rates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
const ratesCalls = (carrier: string) => sandbox.stats()[carrier]?.rates ?? 0;
const requests = (carrier: string) => sandbox.stats()[carrier]?.requests ?? 0;

test('every carrier is asked; quotes are priced from destination, weights and service, cheapest first', async () => {
  const postalCode = freshPostalCode();
  const res = await rates({
    destination: { country: 'us', postalCode },
    items: [
      { sku: skus[0], quantity: 2 },
      { sku: skus[1], quantity: 1 },
    ],
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-cache')).toBe('miss');
  expect(res.body.unavailable).toEqual([]);
  const parcels = planParcels([
    { sku: skus[0] as string, quantity: 2, weightGrams: 1200 },
    { sku: skus[1] as string, quantity: 1, weightGrams: 450 },
  ]);
  expect(parcels).toEqual([{ weightGrams: 2850 }]);
  const expected = ['swiftship', 'parcelpro'].flatMap((c) =>
    sandboxRates(SANDBOX_CARRIERS[c] as never, { country: 'US', postalCode }, parcels).map((r) => ({
      carrier: c,
      service: r.service,
      amount: r.amount,
      estimatedDays: r.estimatedDays,
    })),
  );
  const got = res.body.quotes.map((q: Json) => ({
    carrier: q.carrier,
    service: q.service,
    amount: q.amount,
    estimatedDays: q.estimatedDays,
  }));
  expect(got).toHaveLength(6);
  expect(got).toEqual(expect.arrayContaining(expected));
  const amounts = got.map((q: Json) => q.amount.amount);
  expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
  const ids = res.body.quotes.map((q: Json) => q.quoteId);
  expect(new Set(ids).size).toBe(6);
  const expiresIn = Date.parse(res.body.quotes[0].expiresAt) - Date.now();
  expect(expiresIn).toBeGreaterThan(800 * 1000);
  expect(expiresIn).toBeLessThanOrEqual(900 * 1000);

  // Heavier than one parcel allows: split, so the price is that of several parcels.
  const heavy = await rates({
    destination: { country: 'CA', postalCode: 'K1A 0B1' },
    items: [
      { sku: skus[2], quantity: 1 },
      { sku: skus[0], quantity: 1 },
    ],
  });
  expect(heavy.status).toBe(200);
  const services = heavy.body.quotes.map((q: Json) => `${q.carrier}/${q.service}`);
  expect(services).not.toContain('swiftship/overnight'); // domestic only
  expect(services).toHaveLength(5);
});

test('the same request within the TTL returns the same quotes with no carrier call, however it is spelled', async () => {
  const postalCode = freshPostalCode();
  const first = await rates({
    destination: { country: 'US', postalCode, city: 'Springfield' },
    items: [
      { sku: skus[0], quantity: 1 },
      { sku: skus[1], quantity: 3 },
    ],
  });
  expect(first.status).toBe(200);
  const before = sandbox.stats();
  const again = await rates({
    destination: { country: 'us', postalCode: ` ${postalCode.slice(0, 3)} ${postalCode.slice(3)}`, city: ' springfield ' },
    items: [
      { sku: skus[1], quantity: 2 },
      { sku: skus[0], quantity: 1 },
      { sku: skus[1], quantity: 1 },
    ],
  });
  expect(again.status).toBe(200);
  expect(again.headers.get('x-cache')).toBe('hit');
  expect(again.body).toEqual(first.body);
  expect(sandbox.stats()).toEqual(before);

  // A different quantity is a different request.
  const other = await rates({ destination: { country: 'US', postalCode }, items: [{ sku: skus[0], quantity: 2 }] });
  expect(other.body.quotes.map((q: Json) => q.quoteId)).not.toEqual(expect.arrayContaining([first.body.quotes[0].quoteId]));
});

test('identical requests arriving together share one quote run: one call per carrier, the same quoteIds', async () => {
  const postalCode = freshPostalCode();
  await control(sandbox, '/__faults', { latencyMs: 150 });
  const before = { s: ratesCalls('swiftship'), p: ratesCalls('parcelpro') };
  const body = { destination: { country: 'US', postalCode }, items: [{ sku: skus[0], quantity: 1 }] };
  const answers = await Promise.all(Array.from({ length: 12 }, () => rates(body)));
  for (const a of answers) {
    expect(a.status).toBe(200);
    expect(a.body).toEqual(answers[0]?.body);
  }
  expect(answers[0]?.body.quotes).toHaveLength(6);
  expect(ratesCalls('swiftship') - before.s).toBe(1);
  expect(ratesCalls('parcelpro') - before.p).toBe(1);
});

test('a hanging carrier: the answer still comes with the other carrier quotes, the hung one unavailable', async () => {
  await control(sandbox, '/__faults', { carrier: 'parcelpro', hang: true });
  const postalCode = freshPostalCode();
  const body = { destination: { country: 'US', postalCode }, items: [{ sku: skus[1] as string, quantity: 1 }] };
  const res = await rates(body);
  expect(res.status).toBe(200);
  expect(res.body.unavailable).toEqual([{ carrier: 'parcelpro', reason: 'timeout' }]);
  expect(res.body.quotes.map((q: Json) => q.carrier)).toEqual(['swiftship', 'swiftship', 'swiftship']);
  await recordHistory(
    'shippingQuote-one-hanging',
    workers.client.workflow.getHandle(shippingQuoteWorkflowId(ratesRequestHash(normalizeRatesRequest(body)))),
  );

  // Asked again at once: the hung carrier is remembered as unavailable for a short while (not asked again),
  // the other one's quotes come from the cache.
  const before = { s: requests('swiftship'), p: requests('parcelpro') };
  const again = await rates(body);
  expect(again.body).toEqual(res.body);
  expect({ s: requests('swiftship'), p: requests('parcelpro') }).toEqual(before);
}, 20_000);

test('with 30% of carrier calls failing, bounded retries still produce every carrier quotes', async () => {
  await control(sandbox, '/__faults', { errorRate: 0.3 });
  const injectedBefore = (sandbox.stats().swiftship?.injectedErrors ?? 0) + (sandbox.stats().parcelpro?.injectedErrors ?? 0);
  for (let i = 0; i < 8; i++) {
    const lastPostal = freshPostalCode();
    const res = await rates({ destination: { country: 'US', postalCode: lastPostal }, items: [{ sku: skus[0], quantity: 1 + i }] });
    expect(res.status).toBe(200);
    expect(res.body.unavailable).toEqual([]);
    expect(new Set(res.body.quotes.map((q: Json) => q.carrier))).toEqual(new Set(['swiftship', 'parcelpro']));
    if (i === 0) {
      const body = { destination: { country: 'US', postalCode: lastPostal }, items: [{ sku: skus[0] as string, quantity: 1 }] };
      await recordHistory(
        'shippingQuote-retries',
        workers.client.workflow.getHandle(shippingQuoteWorkflowId(ratesRequestHash(normalizeRatesRequest(body)))),
      );
    }
  }
  const injected = (sandbox.stats().swiftship?.injectedErrors ?? 0) + (sandbox.stats().parcelpro?.injectedErrors ?? 0);
  expect(injected - injectedBefore).toBeGreaterThanOrEqual(4);
}, 30_000);

test('every carrier down: an answer with no quotes and both carriers unavailable', async () => {
  await control(sandbox, '/__faults', { down: true });
  const res = await rates({ destination: { country: 'US', postalCode: freshPostalCode() }, items: [{ sku: skus[0], quantity: 1 }] });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    quotes: [],
    unavailable: [
      { carrier: 'parcelpro', reason: 'unavailable' },
      { carrier: 'swiftship', reason: 'unavailable' },
    ],
  });
}, 20_000);

test('unknown sku → 400 invalid_request naming the item, and no carrier is asked', async () => {
  const before = sandbox.stats();
  const res = await rates({
    destination: { country: 'US', postalCode: freshPostalCode() },
    items: [
      { sku: skus[0], quantity: 1 },
      { sku: 'NO-SUCH-SKU', quantity: 1 },
    ],
  });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('invalid_request');
  expect(res.body.errors).toEqual([expect.objectContaining({ path: 'items[1].sku' })]);
  expect(sandbox.stats()).toEqual(before);
});

test('malformed requests are 400s listing every offending path', async () => {
  const res = await rates({ destination: { country: 'USA', postalCode: '' }, items: [{ sku: 'x', quantity: 0 }], coupon: 'x' });
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  const paths = res.body.errors.map((e: Json) => e.path).sort();
  expect(paths).toEqual(['coupon', 'destination.country', 'destination.postalCode', 'items[0].quantity']);
});

test('a quoteId resolves to its quote while valid; an unknown one is quote_expired (409)', async () => {
  const res = await rates({ destination: { country: 'US', postalCode: freshPostalCode() }, items: [{ sku: skus[0], quantity: 1 }] });
  const q = res.body.quotes[0];
  const stored = await resolveQuote(api.deps.redis, q.quoteId);
  expect(stored).toMatchObject({ ...q, items: [{ sku: skus[0], quantity: 1 }], parcels: [{ weightGrams: 1200 }] });
  const err = await resolveQuote(api.deps.redis, 'q_00000000000000000000').catch((e) => e);
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code: 'quote_expired', status: 409 });
  // Past its expiry (as seen from a later clock) it is expired too.
  const later = new Date(Date.parse(q.expiresAt) + 1);
  await expect(resolveQuote(api.deps.redis, q.quoteId, later)).rejects.toMatchObject({ code: 'quote_expired' });
});

test('the route is in the OpenAPI document', async () => {
  const doc = await getJson(`${api.url}/openapi.json`);
  const rates = doc.body.paths['/v1/shipping/rates'].post;
  expect(rates.responses['200']).toEqual({
    description: 'quotes, cheapest first, and the carriers that could not answer',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ShippingRates' } } },
  });
  expect(Object.keys(rates.responses)).toEqual(expect.arrayContaining(['200', '400', '503']));
  const webhook = doc.body.paths['/v1/webhooks/carriers/{carrier}'].post;
  expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '401', '404', '503']));
});

test('Redis (the quote store) down: a fast 503 dependency_unavailable with Retry-After, no carrier call', async () => {
  // The test API's clients, except a Redis that is not there.
  const redis = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
  redis.on('error', () => {});
  const server = createApp({ ...api.deps, redis }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const before = sandbox.stats();
    const res = await getJson(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/shipping/rates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ destination: { country: 'US', postalCode: freshPostalCode() }, items: [{ sku: skus[0], quantity: 1 }] }),
    });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('dependency_unavailable');
    expect(res.headers.get('retry-after')).toBe('2');
    expect(sandbox.stats()).toEqual(before);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    redis.disconnect();
  }
});

test('an order naming { carrier, service } is priced like a quote; unknown carrier or service is a non-retryable invalid_request, an unknown sku an invalid_request', async () => {
  const activities = createActivities(workers.deps);
  const env = new MockActivityEnvironment();
  const destination = { name: 'Ada', line1: '1 Main St', city: 'New York', country: 'US', postalCode: '10001' };
  const priced = await env.run(activities.priceShipping, {
    shipping: { carrier: 'parcelpro', service: 'standard' },
    destination,
    items: [{ sku: skus[0] as string, quantity: 2 }],
  });
  const expected = sandboxRates(SANDBOX_CARRIERS.parcelpro as never, destination, [{ weightGrams: 2400 }]).find(
    (r) => r.service === 'standard',
  );
  expect(priced).toEqual({
    carrier: 'parcelpro',
    service: 'standard',
    amount: expected?.amount.amount,
    currency: expected?.amount.currency,
  });
  for (const bad of [
    { carrier: 'parcelpro', service: 'teleport' },
    { carrier: 'nocarrier', service: 'standard' },
  ]) {
    const err = await new MockActivityEnvironment()
      .run(activities.priceShipping, { shipping: bad, destination, items: [{ sku: skus[0] as string, quantity: 1 }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'invalid_request', nonRetryable: true });
  }
  await expect(
    workers.deps.shippingRates.rate('parcelpro', 'standard', destination, [{ sku: 'NO-SUCH', quantity: 1 }]),
  ).rejects.toMatchObject({ code: 'invalid_request', errors: [{ path: 'items[0].sku', message: 'unknown sku NO-SUCH', sku: 'NO-SUCH' }] });
});

test('no worker polling the shipping queue: a 503 dependency_unavailable before 3 s, not a hang', async () => {
  const lonely = await startTestApi({
    CARRIER_URL: sandbox.url,
    TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}no-workers-`,
  });
  try {
    const res = await getJson(`${lonely.url}/v1/shipping/rates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ destination: { country: 'US', postalCode: freshPostalCode() }, items: [{ sku: skus[0], quantity: 1 }] }),
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'dependency_unavailable' });
    expect(res.headers.get('retry-after')).toBe('5');
  } finally {
    await lonely.close();
  }
}, 20_000);
