/**
 * Ops inventory endpoints over HTTP against the real app, database, Temporal server and workers:
 * every status and error code, auth, the stock ledger and outbox behind each change.
 */
import { sql } from 'kysely';
import { reserveStock } from '../../db/queries/inventory';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { authHeader, startTestApi, type TestApi } from '../support/app';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { getJson, type Json } from '../support/http';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

let api: TestApi;
let workers: TestWorkers;
beforeAll(async () => {
  [api, workers] = await Promise.all([
    // Small pools: the Postgres server is shared by every test file running at the same time.
    startTestApi({ INVENTORY_SYNC_BATCH_SIZE: '50', DATABASE_POOL_MAX: '5' }),
    startTestWorkers({ queues: ['sync'], overrides: { INVENTORY_SYNC_BATCH_SIZE: '50', DATABASE_POOL_MAX: '5' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([api?.close(), workers?.close()]);
});

const soon = () => new Date(Date.now() + 15 * 60_000);
const db = () => api.deps.db;

function call(method: string, path: string, opts: { role?: Parameters<typeof authHeader>[0] | null; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.role !== null) Object.assign(headers, authHeader(opts.role ?? 'ops'));
  return getJson(`${api.url}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
}

async function waitForJob(jobId: string, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/v1/ops/jobs/${jobId}`);
    expect(res.status).toBe(200);
    if (res.body.status !== 'running') return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still running: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function outboxCount(sku: string): Promise<number> {
  const r = await db()
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('topic', '=', 'stock')
    .where('aggregate_id', '=', sku)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('auth', () => {
  test.each([
    ['GET', '/v1/ops/inventory/ANY'],
    ['PUT', '/v1/ops/inventory/ANY'],
    ['POST', '/v1/ops/inventory/sync'],
    ['GET', '/v1/ops/jobs/any'],
  ])('%s %s: 401 without a key or with an unknown one, 403 for storefront and support', async (method, path) => {
    const body = method === 'GET' ? undefined : { onHand: 1 };
    const none = await call(method, path, { role: null, body });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthenticated');
    const unknown = await getJson(`${api.url}${path}`, {
      method,
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(unknown.status).toBe(401);
    for (const role of ['storefront', 'support'] as const) {
      const r = await call(method, path, { role, body });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
  });

  test('admin passes', async () => {
    const { sku } = await createProduct(db(), { stock: { 'wh-east': 3 } });
    const r = await call('GET', `/v1/ops/inventory/${sku}`, { role: 'admin' });
    expect(r.status).toBe(200);
    expect(r.body.onHand).toBe(3);
  });
});

describe('GET /v1/ops/inventory/{sku}', () => {
  test('totals, per location, and the held reservations', async () => {
    const { sku } = await createProduct(db(), { stock: { 'wh-east': 10, 'wh-west': 4 } });
    const orderA = uniqueId('o-');
    const orderB = uniqueId('o-');
    const orderC = uniqueId('o-');
    expect((await reserveStock(db(), orderA, [{ sku, quantity: 3 }], soon())).ok).toBe(true);
    expect((await reserveStock(db(), orderB, [{ sku, quantity: 12 }], new Date(Date.now() + 60 * 60_000))).ok).toBe(false);
    expect((await reserveStock(db(), orderC, [{ sku, quantity: 2 }], new Date(Date.now() + 60 * 60_000))).ok).toBe(true);
    const r = await call('GET', `/v1/ops/inventory/${sku}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toEqual({
      sku,
      onHand: 14,
      reserved: 5,
      available: 9,
      locations: [
        { locationId: 'wh-east', onHand: 10, reserved: 5, available: 5 },
        { locationId: 'wh-west', onHand: 4, reserved: 0, available: 4 },
      ],
      reservations: [
        { orderId: orderA, locationId: 'wh-east', quantity: 3, status: 'held', expiresAt: expect.any(String) },
        { orderId: orderC, locationId: 'wh-east', quantity: 2, status: 'held', expiresAt: expect.any(String) },
      ],
      reservationCount: 2,
    });
  });

  test('a product without stock rows shows zeros; an unknown sku is 404 product_not_found', async () => {
    const { sku } = await createProduct(db());
    expect((await call('GET', `/v1/ops/inventory/${sku}`)).body).toMatchObject({ onHand: 0, reserved: 0, available: 0, locations: [] });
    const r = await call('GET', '/v1/ops/inventory/NO-SUCH-SKU');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    expect(r.body.code).toBe('product_not_found');
  });

  test('an unknown query parameter is a 400', async () => {
    const r = await call('GET', '/v1/ops/inventory/X?verbose=1');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ path: 'verbose', message: 'unknown query parameter' }]);
  });
});

describe('PUT /v1/ops/inventory/{sku}', () => {
  test('sets on hand, ledgered as adjust, one stock outbox row; answers the updated view', async () => {
    const { sku } = await createProduct(db(), { stock: { 'wh-central': 5 } });
    const before = await outboxCount(sku);
    const r = await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 12 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sku, onHand: 12, reserved: 0, available: 12, locations: [{ locationId: 'wh-central', onHand: 12 }] });
    const moves = await db()
      .selectFrom('stock_movements')
      .select(['reason', 'delta_on_hand', 'location_id'])
      .where('sku', '=', sku)
      .orderBy('id')
      .execute();
    expect(moves).toEqual([
      { reason: 'adjust', delta_on_hand: 5, location_id: 'wh-central' },
      { reason: 'adjust', delta_on_hand: 7, location_id: 'wh-central' },
    ]);
    expect(await outboxCount(sku)).toBe(before + 1);
    // Same value again: nothing changes, nothing is announced.
    expect((await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 12 } })).status).toBe(200);
    expect(await outboxCount(sku)).toBe(before + 1);
    expect(await ledgerImbalances(db(), [sku])).toEqual([]);
  });

  test('default location: the first warehouse for a sku without stock rows; an explicit location adds a row', async () => {
    const { sku } = await createProduct(db());
    expect((await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 4 } })).body.locations).toEqual([
      { locationId: 'wh-east', onHand: 4, reserved: 0, available: 4 },
    ]);
    const r = await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 2, locationId: 'wh-west' } });
    expect(r.body).toMatchObject({ onHand: 6, locations: [{ locationId: 'wh-east' }, { locationId: 'wh-west', onHand: 2 }] });
    // Now stocked at two locations: which one is meant must be said.
    const amb = await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 1 } });
    expect(amb.status).toBe(400);
    expect(amb.body.code).toBe('invalid_request');
    expect(amb.body.errors).toEqual([{ path: 'locationId', message: 'required: stocked at wh-east, wh-west' }]);
    expect(await ledgerImbalances(db(), [sku])).toEqual([]);
  });

  test('below the reserved quantity: 409 stock_below_reserved, nothing changes (never clamped)', async () => {
    const { sku } = await createProduct(db(), { stock: { 'wh-east': 10 } });
    expect((await reserveStock(db(), uniqueId('o-'), [{ sku, quantity: 6 }], soon())).ok).toBe(true);
    const r = await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 5, locationId: 'wh-east' } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      code: 'stock_below_reserved',
      status: 409,
      sku,
      locationId: 'wh-east',
      requested: 5,
      reserved: 6,
      onHand: 10,
    });
    expect((await call('GET', `/v1/ops/inventory/${sku}`)).body).toMatchObject({ onHand: 10, reserved: 6 });
    // Exactly the reserved quantity is fine: nothing left available.
    expect((await call('PUT', `/v1/ops/inventory/${sku}`, { body: { onHand: 6 } })).body).toMatchObject({ onHand: 6, available: 0 });
    expect(await ledgerImbalances(db(), [sku])).toEqual([]);
  });

  test('unknown sku → 404; bad bodies → 400 naming every path', async () => {
    expect((await call('PUT', '/v1/ops/inventory/NO-SUCH-SKU', { body: { onHand: 1 } })).body.code).toBe('product_not_found');
    const bad = await call('PUT', '/v1/ops/inventory/X', { body: { onHand: -1, locationId: 'wh-moon', extra: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['extra', 'locationId', 'onHand']);
    for (const body of [{}, { onHand: 1.5 }, { onHand: '3' }, { onHand: 2 ** 31 }]) {
      const r = await call('PUT', '/v1/ops/inventory/X', { body });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].path).toBe('onHand');
    }
    const malformed = await call('PUT', '/v1/ops/inventory/X', { body: '{"onHand":' });
    expect(malformed.status).toBe(400);
  });
});

describe('POST /v1/ops/inventory/sync and GET /v1/ops/jobs/{jobId}', () => {
  test('applies rows in batches, rejects per row with a reason, ledgers with references, one outbox row per sku', async () => {
    const a = await createProduct(db(), { stock: { 'wh-east': 5 } });
    const b = await createProduct(db(), { stock: { 'wh-east': 5, 'wh-west': 5 } });
    const c = await createProduct(db(), { stock: { 'wh-east': 10 } });
    expect((await reserveStock(db(), uniqueId('o-'), [{ sku: c.sku, quantity: 7 }], soon())).ok).toBe(true);
    const items = [
      { sku: a.sku, onHand: 8 }, // 0 applied (only location)
      { sku: 'NO-SUCH-SKU', onHand: 1 }, // 1 unknown_sku
      { sku: b.sku, onHand: 3 }, // 2 location_required
      { sku: b.sku, onHand: 9, locationId: 'wh-west' }, // 3 applied
      { sku: c.sku, onHand: 6 }, // 4 below_reserved (7 reserved)
      { sku: c.sku, onHand: 7 }, // 5 applied (exactly reserved)
      { sku: a.sku, onHand: 8, locationId: 'wh-east' }, // 6 unchanged
    ];
    // pad past one batch (50) with a product's repeated settings
    for (let i = 0; i < 60; i++) items.push({ sku: a.sku, onHand: 8 + (i % 2), locationId: 'wh-central' });
    const outboxBefore = await outboxCount(a.sku);
    const res = await call('POST', '/v1/ops/inventory/sync', { body: { items } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ jobId: expect.any(String) });
    expect(res.headers.get('location')).toBe(`/v1/ops/jobs/${res.body.jobId}`);
    const job = await waitForJob(res.body.jobId);
    expect(job).toEqual({
      jobId: res.body.jobId,
      type: 'inventorySync',
      status: 'completed',
      total: items.length,
      processed: items.length,
      applied: 3 + 60,
      unchanged: 1,
      rejectedCount: 3,
      rejected: [
        { index: 1, sku: 'NO-SUCH-SKU', reason: 'unknown_sku' },
        { index: 2, sku: b.sku, reason: 'location_required' },
        { index: 4, sku: c.sku, reason: 'below_reserved' },
      ],
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    const view = async (sku: string) => (await call('GET', `/v1/ops/inventory/${sku}`)).body;
    expect((await view(a.sku)).locations).toEqual([
      { locationId: 'wh-central', onHand: 9, reserved: 0, available: 9 },
      { locationId: 'wh-east', onHand: 8, reserved: 0, available: 8 },
    ]);
    expect((await view(b.sku)).locations.map((l: Json) => l.onHand)).toEqual([5, 9]);
    expect(await view(c.sku)).toMatchObject({ onHand: 7, reserved: 7, available: 0 });
    const refs = await db()
      .selectFrom('stock_movements')
      .select(['reference', 'reason'])
      .where('sku', '=', c.sku)
      .where('reason', '=', 'sync')
      .execute();
    expect(refs).toEqual([{ reference: `sync:${res.body.jobId}:5`, reason: 'sync' }]);
    // One outbox row per sku per batch transaction: a's rows span two batches.
    expect((await outboxCount(a.sku)) - outboxBefore).toBe(2);
    expect(await ledgerImbalances(db(), [a.sku, b.sku, c.sku])).toEqual([]);
  });

  test('bad bodies → 400 naming paths; an unknown job → 404 job_not_found', async () => {
    const r = await call('POST', '/v1/ops/inventory/sync', {
      body: {
        items: [
          { sku: 'A', onHand: 1 },
          { sku: '', onHand: -2, locationId: 'nowhere', x: 1 },
        ],
        extra: 1,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: Json) => e.path).sort()).toEqual([
      'extra',
      'items[1].locationId',
      'items[1].onHand',
      'items[1].sku',
      'items[1].x',
    ]);
    expect((await call('POST', '/v1/ops/inventory/sync', { body: { items: [] } })).status).toBe(400);
    const missing = await call('GET', '/v1/ops/jobs/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('job_not_found');
  });

  test('bodies past 1 MB are accepted from ops (up to 16 MB); larger → 413; anonymous big bodies are refused unread', async () => {
    const { sku } = await createProduct(db(), { stock: { 'wh-east': 1 } });
    const items = Array.from({ length: 30_000 }, (_, i) => ({ sku, onHand: i % 7, locationId: 'wh-east' }));
    const body = JSON.stringify({ items });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    // An API with the default batch size (1000) for this one: 30 batches, not 600.
    const big = await startTestApi({ DATABASE_POOL_MAX: '3' });
    const r = await getJson(`${big.url}/v1/ops/inventory/sync`, {
      method: 'POST',
      headers: { ...authHeader('ops'), 'content-type': 'application/json' },
      body,
    }).finally(() => big.close());
    expect(r.status).toBe(202);
    const job = await waitForJob(r.body.jobId);
    expect(job).toMatchObject({ status: 'completed', processed: 30_000, rejectedCount: 0 });
    expect((await call('GET', `/v1/ops/inventory/${sku}`)).body.onHand).toBe(29_999 % 7);

    const anonymous = await call('POST', '/v1/ops/inventory/sync', { role: null, body });
    expect(anonymous.status).toBe(401);
    const huge = `{"items":[${'{"sku":"x","onHand":1},'.repeat(800_000)}{"sku":"x","onHand":1}]}`;
    const tooLarge = await call('POST', '/v1/ops/inventory/sync', { body: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('payload_too_large');
    // Other routes keep the 1 MB limit.
    const put = await call('PUT', `/v1/ops/inventory/${sku}`, { body: JSON.stringify({ onHand: 1, pad: 'x'.repeat(1_100_000) }) });
    expect(put.status).toBe(413);
  });

  test('the ops routes are in the OpenAPI document with their error codes', async () => {
    const doc = (await getJson(`${api.url}/openapi.json`)).body;
    const problem = (code: string) => ({
      description: `Problem: ${code}`,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(doc.paths['/v1/ops/inventory/{sku}'].put.responses['409']).toEqual(problem('stock_below_reserved'));
    expect(doc.paths['/v1/ops/inventory/sync'].post.responses['202']).toEqual({
      description: 'job accepted',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/JobAccepted' } } },
    });
    expect(doc.paths['/v1/ops/inventory/sync'].post.responses['413']).toEqual(problem('payload_too_large'));
    expect(doc.paths['/v1/ops/jobs/{jobId}'].get.responses['404']).toEqual(problem('job_not_found'));
  });
});

test('a sync job whose workflow Temporal does not know (past retention) reports from Postgres', async () => {
  const { sku } = await createProduct(db(), { stock: { 'wh-east': 1 } });
  const jobId = uniqueId('job-');
  await db()
    .insertInto('sync_jobs')
    .values({ id: jobId, type: 'inventorySync', total: 2, workflow_id: `never-started-${jobId}` })
    .execute();
  await sql`INSERT INTO sync_job_rows (job_id, idx, sku, on_hand) VALUES (${jobId}, 0, ${sku}, 3), (${jobId}, 1, ${sku}, 4)`.execute(db());
  const r = await call('GET', `/v1/ops/jobs/${jobId}`);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ jobId, status: 'failed', total: 2, processed: 0, applied: 0, rejected: [] });
  await sql`UPDATE sync_job_rows SET outcome = 'applied' WHERE job_id = ${jobId}`.execute(db());
  expect((await call('GET', `/v1/ops/jobs/${jobId}`)).body).toMatchObject({ status: 'completed', processed: 2, applied: 2 });
});

describe('dependencies down', () => {
  test('Postgres unreachable → 503 dependency_unavailable with Retry-After, fast', async () => {
    const down = await startTestApi({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/cathay_nowhere' });
    try {
      const started = Date.now();
      const r = await getJson(`${down.url}/v1/ops/inventory/ANY`, { headers: authHeader('ops') });
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('dependency_unavailable');
      expect(r.headers.get('retry-after')).toBe('5');
      expect(JSON.stringify(r.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|cathay_nowhere/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await down.close();
    }
  });

  test('Temporal unreachable: a sync is refused with 503 and nothing stays staged; job status falls back to Postgres', async () => {
    const down = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_POOL_MAX: '3' });
    try {
      const { sku } = await createProduct(db(), { stock: { 'wh-east': 1 } });
      const r = await getJson(`${down.url}/v1/ops/inventory/sync`, {
        method: 'POST',
        headers: { ...authHeader('ops'), 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ sku, onHand: 2 }] }),
      });
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('dependency_unavailable');
      // Nothing of it stays staged (the sku is this test's own).
      const staged = await db().selectFrom('sync_job_rows').select('job_id').where('sku', '=', sku).execute();
      expect(staged).toEqual([]);

      // A job started while Temporal was up is still reported (from its staged rows).
      const ok = await call('POST', '/v1/ops/inventory/sync', { body: { items: [{ sku, onHand: 3 }] } });
      await waitForJob(ok.body.jobId);
      const job = await getJson(`${down.url}/v1/ops/jobs/${ok.body.jobId}`, { headers: authHeader('ops') });
      expect(job.status).toBe(200);
      expect(job.body).toMatchObject({ status: 'completed', processed: 1, applied: 1 });
    } finally {
      await down.close();
    }
  });
});
