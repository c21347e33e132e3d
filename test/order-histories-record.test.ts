/**
 * Records histories of the order workflow for the replay test (test/order-replay.test.ts):
 * `RECORD_ORDER_HISTORIES=1 npx jest test/order-histories-record.test.ts` writes
 * test/histories/order-*.json for the main paths. Without the variable it is skipped, so the
 * committed histories only change on purpose (after an intentional, versioned workflow change).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_ORDER_ID_SECRET } from '../config';
import { createDb, type Db } from '../db/connection';
import { orderIdFor, orderWorkflowId } from '../domain/orders/identity';
import { authHeader } from './support/app';
import { createProduct } from './support/fixtures';
import { getJson } from './support/http';
import { cancelOrder, type OrderStack, orderBody, placeOrder, setStatus, shipOrder, startOrderStack, waitForOrder } from './support/orders';

const record = process.env.RECORD_ORDER_HISTORIES === '1';
const maybe = record ? test : test.skip;

let stack: OrderStack;
let db: Db;
beforeAll(async () => {
  if (!record) return;
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
  stack = await startOrderStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await db?.destroy();
});

/**
 * RECORD_ORDER_HISTORIES_TAG=x writes order-<name>.x.json next to the existing files: after a
 * versioned change (`patched()`), record the new command sequence and keep the old files, so
 * both the orders started before the change and those started after it stay covered.
 */
const tag = process.env.RECORD_ORDER_HISTORIES_TAG ? `.${process.env.RECORD_ORDER_HISTORIES_TAG}` : '';

async function save(name: string, orderId: string) {
  const handle = stack.workers.client.workflow.getHandle(orderWorkflowId(orderId));
  await handle.result().catch(() => undefined);
  const history = await handle.fetchHistory();
  writeFileSync(path.join(__dirname, 'histories', `order-${name}${tag}.json`), JSON.stringify(history, null, 1));
}

maybe(
  'record order histories',
  async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 100 } });
    // delivered
    const a = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    await setStatus(stack.api, a.body.id, { status: 'shipped', note: 'packed', trackingNumber: 'TRK-1' });
    await setStatus(stack.api, a.body.id, { status: 'delivered', note: '' });
    await save('delivered', a.body.id);
    // cancelled after confirmation
    const b = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    await cancelOrder(stack.api, b.body.id, { reason: 'changed my mind' });
    await save('cancelled', b.body.id);
    // declined
    const cBody = orderBody([{ sku: p.sku, quantity: 1 }], { payment: { token: 'tok_decline' } });
    expect((await placeOrder(stack.api, cBody, 'rec-c')).status).toBe(402);
    await save('declined', orderIdFor(cBody.customerId, 'rec-c', DEV_ORDER_ID_SECRET));
    // out of stock
    const dBody = orderBody([{ sku: p.sku, quantity: 1000 }]);
    expect((await placeOrder(stack.api, dBody, 'rec-d')).status).toBe(409);
    await save('out-of-stock', orderIdFor(dBody.customerId, 'rec-d', DEV_ORDER_ID_SECRET));
    // failed, then retried, shipped via signal-free path, delivered
    stack.payments.setFaults({ down: true });
    const e = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    await waitForOrder(stack.api, e.body.id, (o) => o.status === 'failed');
    stack.payments.setFaults({ down: false });
    await getJson(`${stack.api.url}/v1/ops/orders/${e.body.id}/retry`, { method: 'POST', headers: authHeader('support') });
    await waitForOrder(stack.api, e.body.id, (o) => o.status === 'confirmed');
    await setStatus(stack.api, e.body.id, { status: 'shipped', note: '' });
    await setStatus(stack.api, e.body.id, { status: 'delivered', note: '' });
    await save('failed-retried-delivered', e.body.id);
    // flaky card
    const f = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }], { payment: { token: 'tok_flaky' } }));
    await cancelOrder(stack.api, f.body.id);
    await save('flaky-cancelled', f.body.id);
  },
  120_000,
);

/**
 * The carrier path: `ship` books the label (local activity), captures, commits, starts the
 * shipmentTracking child; delivery arrives as carrier webhooks → shipmentDelivered signal.
 * Record it alone (`-t 'booked shipment'`) so the other files keep their command sequences.
 */
maybe(
  'record the booked shipment history',
  async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 10 } });
    const a = await placeOrder(
      stack.api,
      orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { carrier: 'parcelpro', service: 'priority' } }),
    );
    expect(a.status).toBe(201);
    const shipped = await shipOrder(stack.api, a.body.id);
    expect(shipped.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${stack.carriers.url}/__advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ trackingNumber: shipped.body.shipping.trackingNumber }),
      });
      expect(r.status).toBe(200);
    }
    await waitForOrder(stack.api, a.body.id, (o) => o.status === 'delivered');
    await save('shipped-booked-delivered', a.body.id);
  },
  120_000,
);
