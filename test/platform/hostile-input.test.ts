/**
 * Hostile input (contract v1.1 "Hostile input" and "Limits"; issue 12 findings 1–3, 9, 10, 12):
 * every input of any shape gets a 4xx, never a 5xx or a false 503. Each test names the status the
 * engine answered before the fix.
 */

import { keysForRows } from '../../cache/invalidator';
import { productKeyFor, productKeys } from '../../cache/keys';
import { evictKeys, generationKey } from '../../cache/read-through';
import { encodeCursor } from '../../domain/cursor';
import { LOCATIONS } from '../../domain/db-enums';
import { signWebhook } from '../../integrations/carriers/signature';
import { authHeader, startTestApi, type TestApi } from '../support/app';
import { createProductViaApi, productInput, setStock } from '../support/catalog';
import { uniqueId } from '../support/config';
import { getJson, type Json } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.close());

const send = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  getJson(`${api.url}${path}`, {
    ...init,
    headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

const expectInvalid = (res: { status: number; body: Json }, path: string) => {
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('invalid_request');
  expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
};

function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    customerId: uniqueId('cust-'),
    email: 'ada@example.com',
    items: [{ sku: 'SKU-000001', quantity: 1 }],
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    shipping: { carrier: 'parcelpro', service: 'standard' },
    payment: { token: 'tok_visa' },
    ...overrides,
  };
}

describe('NUL, control characters and lone surrogates → 400 with the path', () => {
  test('path parameter: GET /v1/products/a%00b (before: 500)', async () => {
    expectInvalid(await send('/v1/products/a%00b'), 'idOrSku');
  });

  test('query parameter: GET /v1/products?brand=a%00b (before: 500)', async () => {
    expectInvalid(await send('/v1/products?brand=a%00b'), 'brand');
  });

  test('search query with a control character (before: 200 or 5xx)', async () => {
    const res = await send('/v1/search?q=a%01b');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('q');
  });

  test('admin create and patch with a NUL (before: 500)', async () => {
    const created = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ name: 'Ada\u0000' }),
    });
    expectInvalid(created, 'name');
    const product = await createProductViaApi(api.url);
    const patched = await send(`/v1/admin/products/${product.id}`, {
      method: 'PATCH',
      headers: authHeader('admin'),
      json: { attributes: { 'co\u0000lor': 'red' } },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.errors[0].path).toBe('attributes.co\\u0000lor'); // echoed printable, never raw
  });

  test('a lone surrogate is refused; a paired one (emoji) is fine', async () => {
    const lone = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ name: 'x\ud800y' }),
    });
    expectInvalid(lone, 'name');
    const emoji = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ name: 'Rocket 🚀' }),
    });
    expect(emoji.status).toBe(201);
  });

  test('tab and newline pass in multi-line text (description), not in a single-line field (name)', async () => {
    const multi = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ description: 'line one\nline two\tindented' }),
    });
    expect(multi.status).toBe(201);
    expect(multi.body.description).toBe('line one\nline two\tindented');
    expectInvalid(
      await send('/v1/admin/products', { method: 'POST', headers: authHeader('admin'), json: productInput({ name: 'two\nlines' }) }),
      'name',
    );
    const cr = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ description: 'a\rb' }),
    });
    expectInvalid(cr, 'description');
  });

  test('inventory get/put/sync and jobs with a NUL (before: 500)', async () => {
    expectInvalid(await send('/v1/ops/inventory/a%00b', { headers: authHeader('ops') }), 'sku');
    expectInvalid(await send('/v1/ops/inventory/a%00b', { method: 'PUT', headers: authHeader('ops'), json: { onHand: 1 } }), 'sku');
    expectInvalid(
      await send('/v1/ops/inventory/sync', {
        method: 'POST',
        headers: authHeader('ops'),
        json: { items: [{ sku: 'a\u0000', onHand: 1 }] },
      }),
      'items[0].sku',
    );
    expectInvalid(await send('/v1/ops/jobs/a%00b', { headers: authHeader('ops') }), 'jobId');
  });

  test('shipping rates with a NUL sku → 400, not a false 503 (before: 503 "database is unavailable")', async () => {
    const res = await send('/v1/shipping/rates', {
      method: 'POST',
      json: { destination: { country: 'US', postalCode: '10001' }, items: [{ sku: 'a\u0000b', quantity: 1 }] },
    });
    expectInvalid(res, 'items[0].sku');
  });

  test('an order with a NUL in the address is refused at the API (before: 202 placed, workflow retrying forever)', async () => {
    const product = await createProductViaApi(api.url);
    await setStock(api.deps.db, product.sku, 10);
    const body = orderBody({
      items: [{ sku: product.sku, quantity: 1 }],
      shippingAddress: { name: 'Ada\u0000Buyer', line1: '1 Main St', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    });
    const res = await send('/v1/orders', {
      method: 'POST',
      headers: { ...authHeader('storefront'), 'idempotency-key': uniqueId('k-') },
      json: body,
    });
    expectInvalid(res, 'shippingAddress.name');
  });

  test('a cancel reason with a NUL is refused at the API (before: 200/202, then recordOrderStatus failing forever)', async () => {
    const res = await send('/v1/orders/ord-anything/cancel', {
      method: 'POST',
      headers: authHeader('storefront'),
      json: { reason: 'x\u0000y' },
    });
    expectInvalid(res, 'reason');
  });

  test('a signed carrier webhook with a NUL in trackingNumber → 400, never 503 (before: 503)', async () => {
    const raw = JSON.stringify({
      id: uniqueId('evt-'),
      carrier: 'parcelpro',
      trackingNumber: 'PP\u0000123',
      status: 'in_transit',
      at: new Date().toISOString(),
    });
    const res = await getJson(`${api.url}/v1/webhooks/carriers/parcelpro`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-carrier-signature': signWebhook(raw, 'dev-webhook-secret') },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });
});

describe('bad percent-encoding and bad cursors → 400', () => {
  test('path: /v1/orders/%E0%A4%A, even without a key (before: 500)', async () => {
    const res = await send('/v1/orders/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });

  test('query: ?brand=%E0%A4%A (before: 200 with U+FFFD silently substituted)', async () => {
    expectInvalid(await send('/v1/products?brand=%E0%A4%A'), 'brand');
  });

  test('customer-orders cursor whose time is "1" (before: 500)', async () => {
    const cursor = encodeCursor(['1', 'ord-x']);
    const res = await send(`/v1/customers/cust-1/orders?cursor=${cursor}`, { headers: authHeader('support') });
    expectInvalid(res, 'cursor');
  });
});

describe('limits', () => {
  test('public routes take 64 KB bodies, not 1 MB (before: a 1 MB body was read)', async () => {
    const res = await send('/v1/shipping/rates', {
      method: 'POST',
      json: { destination: { country: 'US', postalCode: '10001', city: 'x'.repeat(70_000) }, items: [{ sku: 'A', quantity: 1 }] },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  test('thousands of unknown keys give at most 50 errors and a small answer (before: every key echoed, 2.5 MB for 50k)', async () => {
    const body: Record<string, unknown> = { destination: { country: 'US', postalCode: '10001' }, items: [{ sku: 'A', quantity: 1 }] };
    for (let i = 0; i < 5000; i++) body[`k${i}`] = 1;
    const res = await fetch(`${api.url}/v1/shipping/rates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    const problem = JSON.parse(text);
    expect(problem.errors).toHaveLength(50);
    expect(text.length).toBeLessThan(8_000);
  });
});

describe('headers and methods', () => {
  test('responses carry X-Content-Type-Options: nosniff (before: absent)', async () => {
    const res = await fetch(`${api.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('a 401 carries WWW-Authenticate: Bearer (before: absent)', async () => {
    const res = await fetch(`${api.url}/v1/ops/orders`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  test('a method a path does not serve → 405 with Allow (before: 404)', async () => {
    const res = await send('/v1/products', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const detail = await send('/v1/admin/products/00000000-0000-4000-8000-000000000000', { method: 'PUT' });
    expect(detail.status).toBe(405);
    expect(detail.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'PATCH']);
    expect((await send('/v1/no-such-thing', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('URLs and money', () => {
  test('a javascript: tracking URL is refused (before: accepted)', async () => {
    const res = await send('/v1/ops/orders/ord-x/status', {
      method: 'POST',
      headers: authHeader('ops'),
      json: { status: 'shipped', note: 'x', trackingUrl: 'javascript:alert(1)' },
    });
    expectInvalid(res, 'trackingUrl');
  });

  test('images are https only', async () => {
    const res = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ images: [{ url: 'http://img.example.com/a.jpg', alt: '' }] }),
    });
    expectInvalid(res, 'images[0].url');
  });

  test('a product priced in another currency than the store’s is refused (before: 201, the fuzzer made six)', async () => {
    const res = await send('/v1/admin/products', {
      method: 'POST',
      headers: authHeader('admin'),
      json: productInput({ price: { amount: 100, currency: 'EUR' } }),
    });
    expectInvalid(res, 'price.currency');
  });
});

describe('found by the fuzzer', () => {
  test('stock of 2^31−1 in two locations: lists and detail still answer, available capped (before: every list page 500, pg 22003)', async () => {
    const product = await createProductViaApi(api.url, { category: uniqueId('cat-') });
    for (const location of LOCATIONS.slice(0, 2)) {
      const res = await send(`/v1/ops/inventory/${product.sku}`, {
        method: 'PUT',
        headers: authHeader('ops'),
        json: { onHand: 2_147_483_647, locationId: location },
      });
      expect(res.status).toBe(200);
    }
    const list = await send(`/v1/products?category=${encodeURIComponent(product.category)}`);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    const detail = await send(`/v1/products/${product.sku}`);
    expect(detail.status).toBe(200);
    expect(detail.body.availability.available).toBe(2_147_483_647);
  });
});

describe('cache keys user input cannot reach', () => {
  test('GET /v1/products/<sku>%3Agen cannot write the generation counter of <sku> (before: a not-found marker landed there)', async () => {
    const product = await createProductViaApi(api.url);
    const [skuKey] = productKeys(product);
    expect(productKeyFor(`${product.sku}:gen`)).not.toBe(generationKey(skuKey as string));
    const res = await send(`/v1/products/${product.sku}%3Agen`);
    expect(res.status).toBe(404);
    expect(await api.deps.redis.get(generationKey(skuKey as string))).not.toBe('\n');
    // the product's next change is evicted as usual
    await evictKeys(api.deps.redis, productKeys(product));
  });

  test('one garbage generation does not stall the batch: the other keys are still evicted (before: the INCR error rolled it all back)', async () => {
    const a = `product:v1:sku:${uniqueId('A')}`;
    const b = `product:v1:sku:${uniqueId('B')}`;
    await api.deps.redis.set(generationKey(a), 'not a number');
    await api.deps.redis.set(b, 'cached');
    await evictKeys(api.deps.redis, [a, b]);
    expect(await api.deps.redis.exists(b)).toBe(0);
    expect(await api.deps.redis.get(generationKey(a))).toMatch(/^\d+$/);
    expect(await api.deps.redis.get(generationKey(b))).toMatch(/^\d+$/);
  });

  test('the invalidator builds encoded keys for odd skus', async () => {
    const keys = await keysForRows(api.deps.db, [
      { id: '1', topic: 'product', aggregate_id: '00000000-0000-4000-8000-000000000001', payload: { sku: 'X:gen' } },
    ] as never);
    expect(keys).toContain('product:v1:sku:X%3Agen');
  });
});

describe('the OpenAPI document says what is refused', () => {
  let doc: Json;
  beforeAll(async () => {
    doc = (await send('/openapi.json')).body;
  });

  const param = (path: string, method: string, name: string) =>
    doc.paths[path][method].parameters.find((p: { name: string }) => p.name === name);

  test('limit of the order lists is an integer 1..100 (before: a free string)', () => {
    for (const path of ['/v1/customers/{customerId}/orders', '/v1/ops/orders']) {
      expect(param(path, 'get', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    }
  });

  test('fields= answers are documented as sparse summaries', () => {
    expect(doc.components.schemas.ProductSparseSummary.required ?? []).toEqual([]);
  });

  test('empty category/brand values, PATCH {} and empty attribute names are documented as refused', () => {
    expect(param('/v1/products', 'get', 'category').schema.items.minLength).toBe(1);
    expect(param('/v1/products', 'get', 'brand').schema.items.minLength).toBe(1);
    expect(doc.components.schemas.ProductPatch.minProperties).toBe(1);
    expect(JSON.stringify(doc.components.schemas.ProductCreate)).toContain('"propertyNames":{"type":"string","minLength":1');
  });
});
