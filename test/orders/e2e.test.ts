/**
 * Orders end to end over HTTP: the real API and workers on the run's Temporal dev server, real
 * Postgres and Redis, the payment sandbox and the mail sink on free ports.
 */
import { sql } from 'kysely';
import { DEV_ORDER_ID_SECRET } from '../../config';
import { createDb, type Db } from '../../db/connection';
import { recordRejection } from '../../db/queries/orders';
import { legacyOrderIdFor, orderIdFor, orderWorkflowId } from '../../domain/orders/identity';
import { OrderStatusEventSchema, OrderTrackingEventSchema } from '../../domain/schemas/orders';
import { shipmentDeliveredSignal } from '../../workflows/order';
import { authHeader, customerToken, startTestApi, storefrontAs } from '../support/app';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { getJson, type Json } from '../support/http';
import {
  cancelOrder,
  eventually,
  expectedShipping,
  getOrder,
  type OrderStack,
  orderBody,
  placeOrder,
  setStatus,
  shipOrder,
  startOrderStack,
  waitForOrder,
} from '../support/orders';

let stack: OrderStack;
let db: Db;

beforeAll(async () => {
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 5 });
  stack = await startOrderStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await db?.destroy();
});

async function stock(sku: string) {
  const r = await db
    .selectFrom('inventory_levels')
    .select([sql<number>`sum(on_hand)`.as('onHand'), sql<number>`sum(reserved)`.as('reserved')])
    .where('sku', '=', sku)
    .executeTakeFirstOrThrow();
  return { onHand: Number(r.onHand), reserved: Number(r.reserved) };
}

const ledgerFor = (orderId: string) => stack.payments.ledger().filter((e) => e.reference === orderId);
const mailFor = (orderId: string) => stack.mail.messages().filter((m) => m.headers['x-cathay-order'] === orderId);

test('happy path: confirmed synchronously, shipped, delivered; emails in the sink; payment captured once', async () => {
  const p = await createProduct(db, { priceAmount: 2500, stock: { 'wh-east': 10 } });
  // Shipping is priced live by the carrier (sandbox) for the order's parcels, never by the client.
  const shippingAmount = expectedShipping('parcelpro', 'standard', [{ quantity: 2, weightGrams: 500 }]);
  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 2 }]));
  expect(placed.status).toBe(201);
  const order = placed.body;
  expect(placed.headers.get('location')).toBe(`/v1/orders/${order.id}`);
  expect(order).toMatchObject({
    status: 'confirmed',
    items: [{ sku: p.sku, quantity: 2, unitPrice: { amount: 2500, currency: 'USD' }, lineTotal: { amount: 5000, currency: 'USD' } }],
    totals: {
      subtotal: { amount: 5000, currency: 'USD' },
      shipping: { amount: shippingAmount, currency: 'USD' },
      total: { amount: 5000 + shippingAmount, currency: 'USD' },
    },
    shipping: { carrier: 'parcelpro', service: 'standard' },
  });
  expect(order.timeline.map((t: { status: string }) => t.status)).toEqual(['placed', 'confirmed']);
  expect(await stock(p.sku)).toEqual({ onHand: 10, reserved: 2 });

  const shipped = await setStatus(stack.api, order.id, { status: 'shipped', note: 'left the warehouse', trackingNumber: 'TRK123' });
  expect(shipped.status).toBe(200);
  expect(shipped.body).toMatchObject({ status: 'shipped', shipping: { trackingNumber: 'TRK123' } });
  expect(await stock(p.sku)).toEqual({ onHand: 8, reserved: 0 });

  const delivered = await setStatus(stack.api, order.id, { status: 'delivered', note: 'signed by Ada' });
  expect(delivered.status).toBe(200);
  expect(delivered.body.status).toBe('delivered');
  expect(delivered.body.timeline.map((t: { status: string }) => t.status)).toEqual(['placed', 'confirmed', 'shipped', 'delivered']);

  const ledger = ledgerFor(order.id);
  expect(ledger.filter((e) => e.type === 'authorization')).toHaveLength(1);
  expect(ledger.filter((e) => e.type === 'capture')).toEqual([expect.objectContaining({ amount: 5000 + shippingAmount })]);

  const mails = await eventually(() => {
    const m = mailFor(order.id);
    return m.length >= 3 ? m : undefined;
  });
  expect(mails.map((m) => m.headers['x-cathay-email']).sort()).toEqual(['confirmed', 'delivered', 'shipped']);
  for (const m of mails) {
    expect(m.to).toEqual(['ada@example.com']);
    expect(m.text).toContain(order.id);
    expect(m.html).toContain('<html');
  }
  expect(mails.find((m) => m.headers['x-cathay-email'] === 'shipped')?.text).toContain('TRK123');
});

test('300 concurrent identical POSTs with one Idempotency-Key, across two API instances: one order, one authorization', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 50 } });
  const body = orderBody([{ sku: p.sku, quantity: 1 }]);
  const key = uniqueId('dup-');
  const second = await startTestApi(stack.env);
  const results = await Promise.all(Array.from({ length: 300 }, (_, i) => placeOrder(i % 2 ? second : stack.api, body, key))).finally(() =>
    second.close(),
  );
  const statuses = new Set(results.map((r) => r.status));
  expect([...statuses]).toEqual([201]);
  const ids = new Set(results.map((r) => r.body.id));
  expect(ids.size).toBe(1);
  const [id] = [...ids];
  expect(ledgerFor(id).filter((e) => e.type === 'authorization')).toHaveLength(1);
  const rows = await db.selectFrom('orders').select('id').where('customer_id', '=', body.customerId).execute();
  expect(rows).toEqual([{ id }]);
  expect(await stock(p.sku)).toEqual({ onHand: 50, reserved: 1 });
  // and later, sequentially: still the same order
  const again = await placeOrder(stack.api, body, key);
  expect(again.status).toBe(201);
  expect(again.body.id).toBe(id);
});

test('same key, different body → 422 idempotency_key_reused (running and closed workflows)', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const body = orderBody([{ sku: p.sku, quantity: 1 }]);
  const key = uniqueId('k-');
  expect((await placeOrder(stack.api, body, key)).status).toBe(201);
  const other = await placeOrder(stack.api, { ...body, items: [{ sku: p.sku, quantity: 2 }] }, key);
  expect(other.status).toBe(422);
  expect(other.body.code).toBe('idempotency_key_reused');

  // The same key for ANOTHER customer is another order.
  const otherCustomer = await placeOrder(stack.api, { ...body, customerId: uniqueId('cust-') }, key);
  expect(otherCustomer.status).toBe(201);
  expect(otherCustomer.body.id).not.toBe((await placeOrder(stack.api, body, key)).body.id);

  // Closed workflow (out of stock): same body → the same 409, different body → 422.
  const oosBody = orderBody([{ sku: p.sku, quantity: 100 }]);
  const oosKey = uniqueId('k-');
  const first = await placeOrder(stack.api, oosBody, oosKey);
  expect(first.status).toBe(409);
  const repeat = await placeOrder(stack.api, oosBody, oosKey);
  expect(repeat.status).toBe(409);
  expect(repeat.body.errors).toEqual(first.body.errors);
  const changed = await placeOrder(stack.api, { ...oosBody, items: [{ sku: p.sku, quantity: 1 }] }, oosKey);
  expect(changed.status).toBe(422);
});

test('out of stock → 409 with every short line; nothing stays reserved', async () => {
  const a = await createProduct(db, { stock: { 'wh-east': 5 } });
  const b = await createProduct(db, { stock: { 'wh-east': 1, 'wh-west': 1 } });
  const r = await placeOrder(
    stack.api,
    orderBody([
      { sku: a.sku, quantity: 2 },
      { sku: b.sku, quantity: 3 },
    ]),
  );
  expect(r.status).toBe(409);
  expect(r.body.code).toBe('out_of_stock');
  expect(r.body.errors).toEqual([expect.objectContaining({ path: 'items[1]', sku: b.sku, requested: 3, available: 2 })]);
  expect(await stock(a.sku)).toEqual({ onHand: 5, reserved: 0 });
  expect(await stock(b.sku)).toEqual({ onHand: 2, reserved: 0 });
});

test('declined card → 402 payment_declined, stock released, no charge', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 3 } });
  const body = orderBody([{ sku: p.sku, quantity: 2 }], { payment: { token: 'tok_decline' } });
  const key = uniqueId('k-');
  const r = await placeOrder(stack.api, body, key);
  expect(r.status).toBe(402);
  expect(r.body.code).toBe('payment_declined');
  expect(await stock(p.sku)).toEqual({ onHand: 3, reserved: 0 });
  const again = await placeOrder(stack.api, body, key);
  expect(again.status).toBe(402);
  const orderRow = await db
    .selectFrom('orders')
    .select(['id', 'status'])
    .where('customer_id', '=', body.customerId)
    .executeTakeFirstOrThrow();
  expect(orderRow.status).toBe('cancelled');
  expect(ledgerFor(orderRow.id)).toEqual([]);
});

test('tok_flaky: confirmed after the provider failed twice, authorized once', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 3 } });
  const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }], { payment: { token: 'tok_flaky' } }));
  expect(r.status).toBe(201);
  expect(r.body.status).toBe('confirmed');
  expect(ledgerFor(r.body.id).filter((e) => e.type === 'authorization')).toHaveLength(1);
});

test('provider down → failed (stock held); support retry once it is back → confirmed, charged once', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 4 } });
  stack.payments.setFaults({ down: true });
  let id: string;
  try {
    const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    expect(r.status).toBe(202);
    id = r.body.id;
    const failed = await waitForOrder(stack.api, id, (o) => o.status === 'failed');
    expect(failed.failure).toEqual({
      code: 'payment_provider_unavailable',
      message: expect.any(String),
      step: 'authorize',
      retryable: true,
    });
    expect(await stock(p.sku)).toEqual({ onHand: 4, reserved: 1 });
    const list = await getJson(`${stack.api.url}/v1/ops/orders?status=failed&limit=100`, { headers: authHeader('support') });
    expect(list.status).toBe(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toContain(id);
  } finally {
    stack.payments.setFaults({ down: false });
  }
  const retry = await getJson(`${stack.api.url}/v1/ops/orders/${id}/retry`, { method: 'POST', headers: authHeader('support') });
  expect(retry.status).toBe(202);
  const confirmed = await waitForOrder(stack.api, id, (o) => o.status === 'confirmed');
  expect(confirmed.failure).toBeUndefined();
  expect(confirmed.timeline.map((t: { status: string }) => t.status)).toEqual(['placed', 'failed', 'placed', 'confirmed']);
  expect(ledgerFor(id).filter((e) => e.type === 'authorization')).toHaveLength(1);
  const notFailed = await getJson(`${stack.api.url}/v1/ops/orders/${id}/retry`, { method: 'POST', headers: authHeader('support') });
  expect(notFailed.status).toBe(409);
  expect(notFailed.body.code).toBe('order_not_failed');
});

describe('cancellation runs the right compensations at each stage', () => {
  test('confirmed → cancelled: authorization voided, stock released, email sent', async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 3 } });
    const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 2 }]));
    expect(r.status).toBe(201);
    const c = await cancelOrder(stack.api, r.body.id, { reason: 'changed my mind' });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect(await stock(p.sku)).toEqual({ onHand: 3, reserved: 0 });
    expect(ledgerFor(r.body.id).map((e) => e.type)).toEqual(['authorization', 'void']);
    await eventually(() => mailFor(r.body.id).some((m) => m.headers['x-cathay-email'] === 'cancelled'));
    // idempotent: cancelling again answers the cancelled order
    const again = await cancelOrder(stack.api, r.body.id);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('cancelled');
  });

  test('failed → cancelled: stock released, nothing left authorized', async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 3 } });
    stack.payments.setFaults({ down: true });
    let id: string;
    try {
      const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
      id = r.body.id;
      await waitForOrder(stack.api, id, (o) => o.status === 'failed');
    } finally {
      stack.payments.setFaults({ down: false });
    }
    const c = await cancelOrder(stack.api, id);
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect(await stock(p.sku)).toEqual({ onHand: 3, reserved: 0 });
    const types = ledgerFor(id).map((e) => e.type);
    expect(types.filter((t) => t === 'authorization').length).toBe(types.filter((t) => t === 'void').length);
  });

  test('placed (payment still running) → cancelled: the in-flight authorization is voided, stock released', async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 3 } });
    const impatient = await startTestApi({ ...stack.env, ORDER_SYNC_WAIT_MS: '300' });
    stack.payments.setFaults({ latencyMs: 1_500 });
    try {
      const r = await placeOrder(impatient, orderBody([{ sku: p.sku, quantity: 1 }]));
      expect(r.status).toBe(202);
      expect(r.body.status).toBe('placed');
      const c = await cancelOrder(impatient, r.body.id);
      // The authorization is cut short and voided well within the command's 10 s: done, 200.
      expect(c.status).toBe(200);
      expect(c.body.status).toBe('cancelled');
      await waitForOrder(impatient, r.body.id, (o) => o.status === 'cancelled');
      expect(await stock(p.sku)).toEqual({ onHand: 3, reserved: 0 });
      const types = ledgerFor(r.body.id).map((e) => e.type);
      expect(types.filter((t) => t === 'authorization').length).toBe(types.filter((t) => t === 'void').length);
      expect(types.filter((t) => t === 'capture')).toEqual([]);
    } finally {
      stack.payments.setFaults({ latencyMs: 0 });
      await impatient.close();
    }
  });

  test('shipped → 409 order_not_cancellable; delivered before shipped → 409 invalid_transition', async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 3 } });
    const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    const early = await setStatus(stack.api, r.body.id, { status: 'delivered', note: '' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('invalid_transition');
    expect((await setStatus(stack.api, r.body.id, { status: 'shipped', note: '' })).status).toBe(200);
    const c = await cancelOrder(stack.api, r.body.id);
    expect(c.status).toBe(409);
    expect(c.body.code).toBe('order_not_cancellable');
    expect(ledgerFor(r.body.id).map((e) => e.type)).toEqual(['authorization', 'capture']);
  });
});

test('SSE: every transition in order, live; resumes after Last-Event-ID', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 3 } });
  const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  const id = r.body.id;

  const read = async (lastEventId?: string, until = 'delivered') => {
    const ctrl = new AbortController();
    const res = await fetch(`${stack.api.url}/v1/orders/${id}/events`, {
      headers: { ...(await storefrontAs(r.body.customerId)), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: ctrl.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buf = '';
    const events: Array<{ id: string; status: string }> = [];
    const raw: Json[] = [];
    let heartbeats = 0;
    const done = (async () => {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        buf += decoder.decode(value, { stream: true });
        let idx = buf.indexOf('\n\n');
        while (idx >= 0) {
          const chunk = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          if (chunk.startsWith(': heartbeat')) heartbeats++;
          const data = chunk.split('\n').find((l) => l.startsWith('data: '));
          const eid = chunk.split('\n').find((l) => l.startsWith('id: '));
          if (data && eid) {
            const ev = JSON.parse(data.slice(6));
            raw.push(ev);
            events.push({ id: eid.slice(4), status: ev.status });
            if (ev.status === until) {
              ctrl.abort();
              return;
            }
          }
          idx = buf.indexOf('\n\n');
        }
      }
    })().catch(() => undefined);
    return { events, raw, done, heartbeats: () => heartbeats };
  };

  const live = await read();
  await new Promise((res) => setTimeout(res, 1_200)); // at least one heartbeat on the idle stream
  expect(live.heartbeats()).toBeGreaterThanOrEqual(1);
  expect((await setStatus(stack.api, id, { status: 'shipped', note: '' })).status).toBe(200);
  expect((await setStatus(stack.api, id, { status: 'delivered', note: '' })).status).toBe(200);
  await live.done;
  expect(live.events.map((e) => e.status)).toEqual(['placed', 'confirmed', 'shipped', 'delivered']);
  // Each event's data is what /openapi.json documents for it (itemSchema).
  for (const e of live.raw)
    expect((e.type === 'tracking' ? OrderTrackingEventSchema : OrderStatusEventSchema).safeParse(e).error).toBeUndefined();
  const ids = live.events.map((e) => Number(e.id));
  expect([...ids].sort((a, b) => a - b)).toEqual(ids);

  const resumed = await read(live.events[1]?.id);
  await resumed.done;
  expect(resumed.events.map((e) => e.status)).toEqual(['shipped', 'delivered']);
});

test('history: newest first, keyset cursors, status filter', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 10 } });
  const customerId = uniqueId('cust-');
  const placed: string[] = [];
  for (let i = 0; i < 3; i++) placed.push((await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }], { customerId }))).body.id);
  await cancelOrder(stack.api, placed[0] as string);
  const url = `${stack.api.url}/v1/customers/${customerId}/orders`;
  const asCustomer = await storefrontAs(customerId);
  const page1 = await getJson(`${url}?limit=2`, { headers: asCustomer });
  expect(page1.status).toBe(200);
  expect(page1.body.data.map((o: { id: string }) => o.id)).toEqual([placed[2], placed[1]]);
  expect(page1.body.nextCursor).toEqual(expect.any(String));
  const page2 = await getJson(`${url}?limit=2&cursor=${page1.body.nextCursor}`, { headers: asCustomer });
  expect(page2.body.data.map((o: { id: string }) => o.id)).toEqual([placed[0]]);
  expect(page2.body.nextCursor).toBeNull();
  const cancelled = await getJson(`${url}?status=cancelled`, { headers: asCustomer });
  expect(cancelled.body.data.map((o: { id: string }) => o.id)).toEqual([placed[0]]);
  const bad = await getJson(`${url}?cursor=nonsense`, { headers: asCustomer });
  expect(bad.status).toBe(400);
});

test('validation: key required, strict body, unknown and duplicate skus; roles', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 1 } });
  const body = orderBody([{ sku: p.sku, quantity: 1 }]);
  const noKey = await getJson(`${stack.api.url}/v1/orders`, {
    method: 'POST',
    headers: { ...(await storefrontAs(body.customerId)), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(noKey.status).toBe(400);
  expect(noKey.body.errors.map((e: { path: string }) => e.path)).toContain('idempotency-key');

  const bad = await placeOrder(stack.api, {
    ...body,
    extra: 1,
    email: 'not-an-email',
    items: [
      { sku: p.sku, quantity: 0 },
      { sku: p.sku, quantity: 1 },
    ],
  });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
    ['email', 'extra', 'items[0].quantity', 'items[1].sku'].sort(),
  );

  const unknown = await placeOrder(stack.api, orderBody([{ sku: 'NO-SUCH-SKU-1', quantity: 1 }]));
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'items[0].sku' })]);

  const wrongRole = await getJson(`${stack.api.url}/v1/orders`, {
    method: 'POST',
    headers: { ...authHeader('ops'), 'content-type': 'application/json', 'idempotency-key': 'x' },
    body: JSON.stringify(body),
  });
  expect(wrongRole.status).toBe(403);
  expect((await getOrder(stack.api, 'ord_missing')).status).toBe(404);
});

test("customers see only their own orders: token required with the storefront key, another customer's order is 404", async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const ada = uniqueId('cust-ada-');
  const eve = uniqueId('cust-eve-');
  const body = orderBody([{ sku: p.sku, quantity: 1 }], { customerId: ada });
  const post = (headers: Record<string, string>, b: Json = body) =>
    getJson(`${stack.api.url}/v1/orders`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': uniqueId('key-') },
      body: JSON.stringify(b),
    });
  const problem = (r: { status: number; body: Json }) => ({ status: r.status, code: r.body?.code });

  // Placing: no token, a bad one, an expired one → 401; a token of another customer → 403.
  expect(problem(await post(authHeader('storefront')))).toEqual({ status: 401, code: 'unauthenticated' });
  expect(problem(await post({ ...authHeader('storefront'), 'x-customer-token': 'not.a.jwt' }))).toEqual({
    status: 401,
    code: 'unauthenticated',
  });
  const expired = await customerToken(ada, { ttlSeconds: -120 });
  expect(problem(await post({ ...authHeader('storefront'), 'x-customer-token': expired }))).toEqual({
    status: 401,
    code: 'unauthenticated',
  });
  const forged = await customerToken(ada, { secret: 'not-the-customer-token-secret' });
  expect(problem(await post({ ...authHeader('storefront'), 'x-customer-token': forged }))).toEqual({
    status: 401,
    code: 'unauthenticated',
  });
  const asEve = await post(await storefrontAs(eve));
  expect(problem(asEve)).toEqual({ status: 403, code: 'forbidden' });
  const placed = await post(await storefrontAs(ada));
  expect(placed.status).toBe(201);
  const id = placed.body.id;

  // Reading, streaming, cancelling: Eve gets exactly what a missing order gets.
  const eveHeaders = await storefrontAs(eve);
  const missingId = 'ord_AAAAAAAAAAAAAAAAAAAAAAAAAA';
  const strip = (r: { status: number; body: Json }, orderId: string) => ({
    status: r.status,
    body: { ...r.body, requestId: undefined, detail: String(r.body.detail).replace(orderId, '<id>') },
  });
  const eveRead = await getJson(`${stack.api.url}/v1/orders/${id}`, { headers: eveHeaders });
  const eveMissing = await getJson(`${stack.api.url}/v1/orders/${missingId}`, { headers: eveHeaders });
  expect(eveRead.status).toBe(404);
  expect(strip(eveRead, id)).toEqual(strip(eveMissing, missingId));
  expect(eveRead.body.email).toBeUndefined();
  const eveEvents = await getJson(`${stack.api.url}/v1/orders/${id}/events`, { headers: eveHeaders });
  expect(problem(eveEvents)).toEqual({ status: 404, code: 'order_not_found' });
  const eveCancel = await cancelOrder(stack.api, id, {}, eve);
  expect(problem(eveCancel)).toEqual({ status: 404, code: 'order_not_found' });
  expect((await getOrder(stack.api, id)).body.status).toBe('confirmed');
  const noToken = await getJson(`${stack.api.url}/v1/orders/${id}`, { headers: authHeader('storefront') });
  expect(problem(noToken)).toEqual({ status: 401, code: 'unauthenticated' });

  // History: only one's own; support reads anyone's without a token.
  const adaHistory = `${stack.api.url}/v1/customers/${ada}/orders`;
  expect(problem(await getJson(adaHistory, { headers: eveHeaders }))).toEqual({ status: 403, code: 'forbidden' });
  expect(problem(await getJson(adaHistory, { headers: authHeader('storefront') }))).toEqual({ status: 401, code: 'unauthenticated' });
  const own = await getJson(adaHistory, { headers: await storefrontAs(ada) });
  expect(own.body.data.map((o: Json) => o.id)).toEqual([id]);
  expect((await getJson(adaHistory, { headers: authHeader('support') })).body.data.map((o: Json) => o.id)).toEqual([id]);

  // Ada herself reads and cancels it.
  expect((await getJson(`${stack.api.url}/v1/orders/${id}`, { headers: await storefrontAs(ada) })).body.id).toBe(id);
  const cancelled = await cancelOrder(stack.api, id, {}, ada);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe('cancelled');
});

test('order ids are keyed with ORDER_ID_SECRET; the same customer and key still give the same order; v1.0 ids still resolve', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const body = orderBody([{ sku: p.sku, quantity: 1 }]);
  const key = uniqueId('key-');
  const first = await placeOrder(stack.api, body, key);
  expect(first.status).toBe(201);
  expect(first.body.id).toBe(orderIdFor(body.customerId, key, DEV_ORDER_ID_SECRET));
  expect(first.body.id).not.toBe(legacyOrderIdFor(body.customerId, key)); // v1.0: sha256 of public inputs
  expect((await placeOrder(stack.api, body, key)).body.id).toBe(first.body.id);

  // An order (here: a rejection) recorded under a v1.0 id: a retry with that customer and key lands on it.
  const oldKey = uniqueId('old-key-');
  const oldBody = orderBody([{ sku: p.sku, quantity: 1 }]);
  await recordRejection(db, {
    orderId: legacyOrderIdFor(oldBody.customerId, oldKey),
    requestHash: 'hash-of-another-body',
    rejection: { code: 'out_of_stock', detail: 'v1.0' },
  });
  const retried = await placeOrder(stack.api, oldBody, oldKey);
  expect({ status: retried.status, code: retried.body.code }).toEqual({ status: 422, code: 'idempotency_key_reused' });
});

test('the shipmentDelivered signal (from shipment tracking) moves a shipped order to delivered', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 2 } });
  const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  expect((await setStatus(stack.api, r.body.id, { status: 'shipped', note: '', trackingNumber: 'TRK-SIG' })).status).toBe(200);
  await stack.workers.client.workflow.getHandle(orderWorkflowId(r.body.id)).signal(shipmentDeliveredSignal, { trackingNumber: 'TRK-SIG' });
  const delivered = await waitForOrder(stack.api, r.body.id, (o) => o.status === 'delivered');
  expect(delivered.timeline.at(-1)).toMatchObject({ status: 'delivered', note: 'delivered (TRK-SIG)' });
});

test('capture fails at shipment (provider down) → failed at step ship; support retry → shipped, captured once', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 2 } });
  const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  expect(r.body.status).toBe('confirmed');
  stack.payments.setFaults({ down: true });
  try {
    const s = await setStatus(stack.api, r.body.id, { status: 'shipped', note: '' });
    expect(s.status).toBe(200);
    expect(s.body.status).toBe('failed');
    expect(s.body.failure).toMatchObject({ code: 'payment_provider_unavailable', step: 'ship', retryable: true });
    expect(await stock(p.sku)).toEqual({ onHand: 2, reserved: 1 });
  } finally {
    stack.payments.setFaults({ down: false });
  }
  const retry = await getJson(`${stack.api.url}/v1/ops/orders/${r.body.id}/retry`, { method: 'POST', headers: authHeader('support') });
  expect(retry.status).toBe(202);
  const shipped = await waitForOrder(stack.api, r.body.id, (o) => o.status === 'shipped');
  expect(shipped.timeline.map((t: { status: string }) => t.status)).toEqual(['placed', 'confirmed', 'failed', 'confirmed', 'shipped']);
  expect(await stock(p.sku)).toEqual({ onHand: 1, reserved: 0 });
  expect(ledgerFor(r.body.id).map((e) => e.type)).toEqual(['authorization', 'capture']);
});

test('ship: the label is booked with the carrier once, payment captured, tracked by webhooks to delivered', async () => {
  const p = await createProduct(db, { priceAmount: 1200, stock: { 'wh-east': 5 } });
  const placed = await placeOrder(
    stack.api,
    orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { carrier: 'parcelpro', service: 'priority' } }),
  );
  expect(placed.status).toBe(201);
  const id = placed.body.id;
  const labelsBefore = stack.carriers.stats().parcelpro?.shipments ?? 0;

  const [first, second] = await Promise.all([shipOrder(stack.api, id), shipOrder(stack.api, id)]);
  const ok = [first, second].filter((r) => r.status === 200);
  expect(ok).toHaveLength(1);
  expect([first, second].filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['invalid_transition']);
  const shipped = ok[0]?.body;
  expect(shipped).toMatchObject({
    status: 'shipped',
    shipping: { carrier: 'parcelpro', service: 'priority', trackingNumber: expect.any(String) },
  });
  expect(stack.carriers.stats().parcelpro?.shipments).toBe(labelsBefore + 1);
  expect(await stock(p.sku)).toEqual({ onHand: 4, reserved: 0 });
  expect(ledgerFor(id).filter((e) => e.type === 'capture')).toHaveLength(1);
  expect((await shipOrder(stack.api, id)).status).toBe(409);

  // The parcel moves on at the carrier; each step arrives as a signed webhook.
  const tn = shipped.shipping.trackingNumber;
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${stack.carriers.url}/__advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trackingNumber: tn }),
    });
    expect(r.status).toBe(200);
  }
  const delivered = await waitForOrder(stack.api, id, (o) => o.status === 'delivered');
  expect(delivered.shipping).toMatchObject({ trackingNumber: tn, trackingStatus: 'delivered' });
  const statuses = delivered.timeline.map((t: { status: string }) => t.status);
  expect(statuses.slice(0, 3)).toEqual(['placed', 'confirmed', 'shipped']);
  expect(statuses).toEqual(expect.arrayContaining(['in_transit', 'out_for_delivery', 'delivered']));
  expect(statuses.at(-1)).toBe('delivered');
  expect(stack.carriers.stats().parcelpro?.shipments).toBe(labelsBefore + 1);
});

test('ship: an unknown carrier is a 400 naming it; shipping a placed-and-cancelled order is a 409', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 2 } });
  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  const bad = await shipOrder(stack.api, placed.body.id, { carrier: 'pigeonpost' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'carrier' })]);
  expect((await cancelOrder(stack.api, placed.body.id)).status).toBe(200);
  const late = await shipOrder(stack.api, placed.body.id);
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('invalid_transition');
});

test('a quote from POST /v1/shipping/rates prices the order; an unknown or foreign quote is refused', async () => {
  const p = await createProduct(db, { priceAmount: 900, stock: { 'wh-east': 5 } });
  const rates = await getJson(`${stack.api.url}/v1/shipping/rates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ destination: { country: 'GB', postalCode: 'SW1Y 4JH' }, items: [{ sku: p.sku, quantity: 3 }] }),
  });
  expect(rates.status).toBe(200);
  const quote = rates.body.quotes.find((q: { carrier: string; service: string }) => q.carrier === 'parcelpro' && q.service === 'economy');
  expect(quote).toMatchObject({ carrier: 'parcelpro', service: 'economy', quoteId: expect.stringMatching(/^q_/) });

  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 3 }], { shipping: { quoteId: quote.quoteId } }));
  expect(placed.status).toBe(201);
  expect(placed.body.shipping).toMatchObject({ carrier: 'parcelpro', service: 'economy' });
  expect(placed.body.totals.shipping).toEqual(quote.amount);
  expect(placed.body.totals.total.amount).toBe(2700 + quote.amount.amount);

  const foreign = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { quoteId: quote.quoteId } }));
  expect(foreign.status).toBe(400);
  expect(foreign.body.errors).toEqual([expect.objectContaining({ path: 'shipping.quoteId' })]);
  const unknown = await placeOrder(
    stack.api,
    orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { quoteId: 'q_00000000000000000000' } }),
  );
  expect(unknown.status).toBe(409);
  expect(unknown.body.code).toBe('quote_expired');
  expect(await stock(p.sku)).toEqual({ onHand: 5, reserved: 3 });
});
