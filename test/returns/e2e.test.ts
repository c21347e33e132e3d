/**
 * Returns end to end over HTTP, on the real stack (API, workers, Postgres, Temporal dev server,
 * payment and carrier sandboxes, mail sink): delivery through carrier webhooks → request →
 * approve (label) → return parcel scanned → receive (one resellable, one damaged) → refunded;
 * the races the database settles; a refund provider outage parked as `failed` and retried once.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createActivities } from '../../activities';
import { createDb, type Db } from '../../db/connection';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { reserveRefund } from '../../db/queries/returns';
import { goodwillRefundKey, returnWorkflowId } from '../../domain/returns/identity';
import { authHeader, storefrontAs } from '../support/app';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { getJson, type Json } from '../support/http';
import { eventually, getOrder, type OrderStack, orderBody, placeOrder, shipOrder, startOrderStack } from '../support/orders';
import { advanceParcel, deliveredOrder, getReturn, opsReturn, paymentLedger, requestReturn, waitForReturn } from '../support/returns';

let stack: OrderStack;
let db: Db;
beforeAll(async () => {
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 8 });
  stack = await startOrderStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await db?.destroy();
});

const onHand = async (sku: string) =>
  Number(
    (await db.selectFrom('inventory_levels').select(sql<number>`sum(on_hand)`.as('n')).where('sku', '=', sku).executeTakeFirstOrThrow()).n,
  );
const mailFor = (orderId: string) => stack.mail.messages().filter((m) => m.headers['x-cathay-order'] === orderId);

/** Reads the order's SSE stream until `until` matches the text received so far (or times out). */
async function readEvents(orderId: string, until: RegExp, timeoutMs = 10_000): Promise<string> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  let text = '';
  try {
    const res = await fetch(`${stack.api.url}/v1/orders/${orderId}/events`, { headers: authHeader('support'), signal: ctrl.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    while (!until.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // aborted: return what arrived
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return text;
}

test('deliver → request → approve → parcel scanned → receive (resellable + damaged) → refunded once, books balanced', async () => {
  const { order, skus } = await deliveredOrder(stack, db, [
    { price: 1500, quantity: 2 },
    { price: 2500, quantity: 1 },
  ]);
  const [a, b] = skus as [string, string];
  const before = { a: await onHand(a), b: await onHand(b) };

  const started = Date.now();
  const body = {
    items: [
      { sku: a, quantity: 1 },
      { sku: b, quantity: 1 },
    ],
    reason: 'does not fit',
  };
  const key = uniqueId('rk-');
  const requested = await requestReturn(stack.api, order.id, body, key);
  expect(requested.status).toBe(201);
  expect(requested.body).toMatchObject({ orderId: order.id, status: 'requested', reason: 'does not fit' });
  const returnId: string = requested.body.id;
  // Same key → same return; same key, other body → 422.
  const again = await requestReturn(stack.api, order.id, body, key);
  expect(again.status).toBe(201);
  expect(again.body.id).toBe(returnId);
  expect((await requestReturn(stack.api, order.id, { ...body, reason: 'other' }, key)).status).toBe(422);

  const approved = await opsReturn(stack.api, returnId, 'approve');
  expect(approved.status).toBe(200);
  expect(approved.body.status).toBe('approved');
  expect(approved.body.label).toMatchObject({
    carrier: 'parcelpro',
    trackingNumber: expect.any(String),
    labelUrl: expect.stringMatching(/^http/),
  });
  // Approving twice is a conflict, not a second label.
  expect((await opsReturn(stack.api, returnId, 'approve')).status).toBe(409);
  const labels = (await (await fetch(`${stack.carriers.url}/__shipments`)).json()) as Json;
  expect(labels.shipments.filter((s: Json) => s.reference === returnId)).toHaveLength(1);

  const parcel: string = approved.body.label.trackingNumber;
  await advanceParcel(stack, parcel); // first scan → in_transit
  await waitForReturn(stack.api, returnId, (r) => r.status === 'in_transit');
  await advanceParcel(stack, parcel); // delivered to the warehouse: waits for ops
  await eventually(async () => {
    const row = await db.selectFrom('returns').select('label_tracking_status').where('id', '=', returnId).executeTakeFirst();
    return row?.label_tracking_status === 'delivered';
  });
  expect((await getReturn(stack.api, returnId)).body.status).toBe('in_transit');

  const received = await opsReturn(stack.api, returnId, 'receive', {
    items: [
      { sku: a, quantity: 1, condition: 'resellable' },
      { sku: b, quantity: 1, condition: 'damaged' },
    ],
  });
  expect(received.status).toBe(200);
  expect(['received', 'refunded']).toContain(received.body.status);
  const done = await waitForReturn(stack.api, returnId, (r) => r.status === 'refunded');
  const elapsedMs = Date.now() - started;

  expect(done.refund).toMatchObject({ amount: { amount: 4000, currency: 'USD' }, status: 'refunded' });
  expect(done.items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ sku: a, quantity: 1, received: 1, condition: 'resellable' }),
      expect.objectContaining({ sku: b, quantity: 1, received: 1, condition: 'damaged' }),
    ]),
  );
  expect(done.timeline.map((t: Json) => t.status)).toEqual(
    expect.arrayContaining(['requested', 'approved', 'in_transit', 'received', 'refunded']),
  );

  // Money: one refund of the received lines' paid prices (not the whole order: no shipping).
  const ledger = await paymentLedger(stack, order.id);
  expect(ledger.refunds).toHaveLength(1);
  expect(ledger.refunds[0]).toMatchObject({ amount: 4000, idempotencyKey: `${returnId}:refund` });
  const view = (await getOrder(stack.api, order.id)).body;
  expect(view.refunded).toEqual({ amount: 4000, currency: 'USD' });
  expect(view.refunds).toEqual([expect.objectContaining({ kind: 'return', returnId, status: 'refunded' })]);

  // Stock: the resellable unit is back on hand through the ledger (reason return); the damaged one is not.
  expect(await onHand(a)).toBe(before.a + 1);
  expect(await onHand(b)).toBe(before.b);
  const moves = await db.selectFrom('stock_movements').selectAll().where('reason', '=', 'return').where('sku', 'in', [a, b]).execute();
  expect(moves).toEqual([expect.objectContaining({ sku: a, delta_on_hand: 1, delta_reserved: 0, reference: `return:${returnId}:${a}` })]);
  expect(await ledgerImbalances(db, [a, b])).toEqual([]);

  // Emails, once each: approved with the label link, refunded with the amount.
  await eventually(() => mailFor(order.id).some((m) => m.headers['x-cathay-email'] === 'return_refunded'));
  const mails = mailFor(order.id).filter((m) => m.headers['x-cathay-return'] === returnId);
  expect(mails.map((m) => m.headers['x-cathay-email']).sort()).toEqual(['return_approved', 'return_refunded']);
  expect(mails.find((m) => m.headers['x-cathay-email'] === 'return_approved')?.text).toContain(approved.body.label.labelUrl);
  expect(mails.find((m) => m.headers['x-cathay-email'] === 'return_refunded')?.subject).toContain('$40.00');

  // Every change is an event on the order's stream.
  const stream = await readEvents(order.id, /return_refunded/);
  const returnEvents = [...stream.matchAll(/event: return\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1] as string).status);
  expect(returnEvents).toEqual(
    expect.arrayContaining(['return_requested', 'return_approved', 'return_in_transit', 'return_received', 'return_refunded']),
  );

  // The numbers for docs/returns.md.
  const history = await stack.workers.client.workflow.getHandle(returnWorkflowId(returnId)).fetchHistory();
  const events = history.events?.length ?? 0;
  const out = process.env.CATHAY_TEST_DIR ? path.join(process.env.CATHAY_TEST_DIR, 'returns-measure.json') : undefined;
  if (out) writeFileSync(out, JSON.stringify({ historyEvents: events, e2eMs: elapsedMs }));
  process.stdout.write(`\n[returns] history events to refunded: ${events}; request → refunded: ${elapsedMs} ms\n`);
  expect(events).toBeGreaterThan(0);
}, 120_000);

test('over-return race: five concurrent requests for the last unit: one 201, the rest 409 return_not_allowed', async () => {
  const { order, skus } = await deliveredOrder(stack, db, [{ price: 1000, quantity: 1 }]);
  const results = await Promise.all(
    Array.from({ length: 5 }, () => requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'race' })),
  );
  expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('return_not_allowed');
  const rows = await db.selectFrom('returns').select(['id', 'status']).where('order_id', '=', order.id).execute();
  expect(rows.filter((r) => r.status === 'requested')).toHaveLength(1);
  // More than delivered, and an order that is not delivered, are refused too.
  expect((await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'again' })).body.code).toBe(
    'return_not_allowed',
  );
}, 120_000);

test('the database refuses a return line above delivered even without the API (five racing transactions)', async () => {
  const { order, skus } = await deliveredOrder(stack, db, [{ price: 1000, quantity: 1 }]);
  const insert = (id: string) =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('returns')
        .values({
          id,
          order_id: order.id,
          customer_id: order.customerId,
          status: 'requested',
          reason: 'direct',
          idempotency_key: id,
          request_hash: id,
          workflow_id: `return-${id}`,
        })
        .execute();
      await trx
        .insertInto('return_lines')
        .values({ return_id: id, order_id: order.id, line_no: 1, sku: skus[0] as string, quantity: 1 })
        .execute();
    });
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => insert(uniqueId('ret_'))));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(String(failed.reason)).toMatch(/return_exceeds_delivered/);
}, 120_000);

test('refunds above the capture are refused by the database, also when racing', async () => {
  const { order } = await deliveredOrder(stack, db, [{ price: 1000, quantity: 1 }]);
  const total: number = order.totals.total.amount;
  const reserve = (n: number) =>
    sql`INSERT INTO refunds (id, order_id, kind, amount, currency, status, idempotency_key)
        VALUES (${uniqueId('rf_')}, ${order.id}, 'goodwill', ${n}, 'USD', 'pending', ${uniqueId('k')})`.execute(db);
  const half = Math.ceil(total / 2) + 1;
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => reserve(half)));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  for (const r of results.filter((x) => x.status === 'rejected'))
    expect(String((r as PromiseRejectedResult).reason)).toMatch(/refund_exceeds_captured/);
  const sum = await db
    .selectFrom('refunds')
    .select(sql<number>`sum(amount)`.as('n'))
    .where('order_id', '=', order.id)
    .executeTakeFirstOrThrow();
  expect(Number(sum.n)).toBeLessThanOrEqual(total);
}, 120_000);

test('refund provider down → failed (parked) → support retry → refunded once', async () => {
  const { order, skus } = await deliveredOrder(stack, db, [{ price: 1200, quantity: 1 }]);
  const r = await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'broken' });
  expect(r.status).toBe(201);
  expect((await opsReturn(stack.api, r.body.id, 'approve')).status).toBe(200);
  // Retry on a return that is not failed: 409.
  expect((await opsReturn(stack.api, r.body.id, 'retry')).status).toBe(409);
  stack.payments.setFaults({ down: true });
  try {
    await opsReturn(stack.api, r.body.id, 'receive', { items: [{ sku: skus[0], quantity: 1, condition: 'resellable' }] });
    const failed = await waitForReturn(stack.api, r.body.id, (x) => x.status === 'failed');
    expect(failed.failure).toMatchObject({ step: 'refund', retryable: true });
    const listed = await getJson(`${stack.api.url}/v1/ops/returns?status=failed&limit=100`, { headers: authHeader('support') });
    expect(listed.body.data.map((x: Json) => x.id)).toContain(r.body.id);
  } finally {
    stack.payments.setFaults({ down: false });
  }
  const retried = await opsReturn(stack.api, r.body.id, 'retry');
  expect(retried.status).toBe(202);
  const done = await waitForReturn(stack.api, r.body.id, (x) => x.status === 'refunded');
  // Shipping goes back too: the whole order came back.
  expect(done.refund.amount.amount).toBe(order.totals.total.amount);
  const ledger = await paymentLedger(stack, order.id);
  expect(ledger.refunds).toHaveLength(1);
  expect(ledger.refunds[0].amount).toBe(order.totals.total.amount);
  expect((await getOrder(stack.api, order.id)).body.refunded.amount).toBe(order.totals.total.amount);
}, 120_000);

test('reject: emailed with the reason; the units can be requested again; unknown return 404', async () => {
  const { order, skus } = await deliveredOrder(stack, db, [{ price: 900, quantity: 1 }]);
  const r = await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'meh' });
  const rejected = await opsReturn(stack.api, r.body.id, 'reject', { reason: 'outside our policy' });
  expect(rejected.status).toBe(200);
  expect(rejected.body).toMatchObject({ status: 'rejected', note: 'outside our policy' });
  await eventually(() => mailFor(order.id).some((m) => m.headers['x-cathay-email'] === 'return_rejected'));
  expect(mailFor(order.id).find((m) => m.headers['x-cathay-email'] === 'return_rejected')?.text).toContain('outside our policy');
  expect((await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'second try' })).status).toBe(201);
  const list = await getJson(`${stack.api.url}/v1/orders/${order.id}/returns`, { headers: await storefrontAs(order.customerId) });
  expect(list.status).toBe(200);
  expect(list.body.data.map((x: Json) => x.status)).toEqual(['rejected', 'requested']);
  expect((await getReturn(stack.api, 'ret_nope')).body.code).toBe('return_not_found');
  // Customer scope: another customer's token sees no such order; no token at all is a 401.
  const other = await getJson(`${stack.api.url}/v1/orders/${order.id}/returns`, { headers: await storefrontAs('someone-else') });
  expect(other.status).toBe(404);
  expect(other.body.code).toBe('order_not_found');
  const stranger = await requestReturn(
    stack.api,
    order.id,
    { items: [{ sku: skus[0], quantity: 1 }], reason: 'x' },
    undefined,
    'someone-else',
  );
  expect(stranger.body.code).toBe('order_not_found');
  expect((await getJson(`${stack.api.url}/v1/orders/${order.id}/returns`, { headers: authHeader('storefront') })).status).toBe(401);
}, 120_000);

function goodwill(orderId: string, amount: number, key = uniqueId('gw-'), reason = 'sorry for the delay') {
  return getJson(`${stack.api.url}/v1/ops/orders/${orderId}/refunds`, {
    method: 'POST',
    headers: { ...authHeader('support'), 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ amount: { amount, currency: 'USD' }, reason }),
  });
}

test('goodwill refunds through the order workflow id: idempotent by key, racing ones capped at the capture (409)', async () => {
  const { order } = await deliveredOrder(stack, db, [{ price: 3000, quantity: 1 }]);
  const total: number = order.totals.total.amount;
  const key = uniqueId('gw-');
  const first = await goodwill(order.id, 500, key);
  expect(first.status).toBe(201);
  expect(first.body.refunded).toEqual({ amount: 500, currency: 'USD' });
  expect((await goodwill(order.id, 500, key)).status).toBe(201);
  expect((await goodwill(order.id, 600, key)).status).toBe(422);
  expect((await paymentLedger(stack, order.id)).refunds).toHaveLength(1);

  // Three racing refunds of everything that is left: one wins, the others are refused.
  const left = total - 500;
  const race = await Promise.all([goodwill(order.id, left), goodwill(order.id, left), goodwill(order.id, left)]);
  expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  for (const r of race.filter((x) => x.status === 409)) expect(r.body.code).toBe('refund_exceeds_captured');
  const ledger = await paymentLedger(stack, order.id);
  expect(ledger.refunds.reduce((a: number, r: Json) => a + r.amount, 0)).toBe(total);
  const view = (await getOrder(stack.api, order.id)).body;
  expect(view.refunded.amount).toBe(total);
  expect(view.refunds.every((r: Json) => r.kind === 'goodwill' && r.status === 'refunded')).toBe(true);
  // Nothing left: even one cent more is refused.
  expect((await goodwill(order.id, 1)).body.code).toBe('refund_exceeds_captured');
  await eventually(() => mailFor(order.id).filter((m) => m.headers['x-cathay-email'] === 'goodwill_refunded').length === 2);
}, 120_000);

test("goodwill refund while the order's own run is open (shipped); refused before capture", async () => {
  const p = await createProduct(db, { priceAmount: 2000, stock: { 'wh-east': 5 } });
  const placed = await placeOrder(
    stack.api,
    orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { carrier: 'parcelpro', service: 'priority' } }),
  );
  expect(placed.status).toBe(201);
  const early = await goodwill(placed.body.id, 100);
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('refund_exceeds_captured');
  expect((await shipOrder(stack.api, placed.body.id)).status).toBe(200);
  const r = await goodwill(placed.body.id, 250);
  expect(r.status).toBe(201);
  expect(r.body.refunded.amount).toBe(250);
  expect(r.body.status).toBe('shipped');
  const desc = await stack.workers.client.workflow.getHandle(`order-${placed.body.id}`).describe();
  expect(desc.type).toBe('order'); // the order's own run took it
}, 120_000);

test('only delivered orders within the window; every returns route is in the OpenAPI document', async () => {
  const p = await createProduct(db, { priceAmount: 1000, stock: { 'wh-east': 5 } });
  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  const notDelivered = await requestReturn(stack.api, placed.body.id, { items: [{ sku: p.sku, quantity: 1 }], reason: 'early' });
  expect(notDelivered.status).toBe(409);
  expect(notDelivered.body.code).toBe('return_not_allowed');

  const { order, skus } = await deliveredOrder(stack, db, [{ price: 1000, quantity: 1 }]);
  await sql`UPDATE order_events SET at = now() - interval '31 days' WHERE order_id = ${order.id} AND status = 'delivered'`.execute(db);
  const late = await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'late' });
  expect(late.status).toBe(409);
  expect(late.body.detail).toMatch(/window/);
  const unknownSku = await requestReturn(stack.api, order.id, { items: [{ sku: 'NOT-IN-ORDER', quantity: 1 }], reason: 'x' });
  expect(unknownSku.status).toBe(409);
  expect((await requestReturn(stack.api, 'ord_missing', { items: [{ sku: 'A', quantity: 1 }], reason: 'x' })).body.code).toBe(
    'order_not_found',
  );
  const bad = await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 0 }], reason: '', extra: 1 });
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('invalid_request');

  const doc = (await getJson(`${stack.api.url}/openapi.json`)).body;
  for (const [path, method] of [
    ['/v1/orders/{id}/returns', 'post'],
    ['/v1/orders/{id}/returns', 'get'],
    ['/v1/ops/returns', 'get'],
    ['/v1/ops/returns/{id}/approve', 'post'],
    ['/v1/ops/returns/{id}/reject', 'post'],
    ['/v1/ops/returns/{id}/receive', 'post'],
    ['/v1/ops/returns/{id}/retry', 'post'],
    ['/v1/ops/orders/{id}/refunds', 'post'],
  ] as const) {
    expect(doc.paths[path]?.[method]).toBeDefined();
  }
  expect(doc.components.schemas.Return).toBeDefined();
}, 120_000);

test('a refund whose worker died after the provider answered, before Postgres knew: the retry refunds once', async () => {
  const { order } = await deliveredOrder(stack, db, [{ price: 2000, quantity: 1 }]);
  const acts = createActivities(stack.workers.deps);
  const req = {
    orderId: order.id,
    idempotencyKey: 'crash-1',
    requestHash: 'h-crash-1',
    amount: 700,
    currency: 'USD',
    reason: 'crash test',
  };
  const key = goodwillRefundKey(order.id, req.idempotencyKey);
  // The first attempt: reserved in the books, refunded by the provider — then the process died.
  const row = await reserveRefund(db, {
    id: 'rf_crash1',
    orderId: order.id,
    kind: 'goodwill',
    amount: 700,
    currency: 'USD',
    reason: 'crash test',
    idempotencyKey: key,
    requestHash: req.requestHash,
  });
  const capture = await db.selectFrom('orders').select('payment_capture_id').where('id', '=', order.id).executeTakeFirstOrThrow();
  await stack.workers.deps.payments.refund({
    idempotencyKey: row.idempotency_key,
    captureId: capture.payment_capture_id as string,
    amount: 700,
  });
  expect((await db.selectFrom('refunds').select('status').where('id', '=', 'rf_crash1').executeTakeFirstOrThrow()).status).toBe('pending');
  // Temporal retries the activity: same key, the provider replays its answer.
  const again = await acts.refundGoodwill(req);
  expect(again).toEqual({ refundId: 'rf_crash1', amount: 700 });
  expect((await paymentLedger(stack, order.id)).refunds).toHaveLength(1);
  expect((await getOrder(stack.api, order.id)).body.refunded.amount).toBe(700);
}, 120_000);
