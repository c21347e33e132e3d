/**
 * Records histories of the order workflow for the replay test (test/orders/replay.test.ts):
 * `npm run record:histories` writes test/histories/order-*.json for the main paths and the booked
 * shipment; `npm run record:histories -- main` or `-- booked` records one group only (so the
 * other files keep their command sequences). It brings up the test harness (its own database,
 * Meilisearch, Temporal dev server and workflow bundle) and tears it down afterwards. Run it on
 * purpose only: after an intentional, versioned workflow change.
 *
 * RECORD_ORDER_HISTORIES_TAG=x writes order-<name>.x.json next to the existing files: after a
 * versioned change (`patched()`), record the new command sequence and keep the old files, so
 * both the orders started before the change and those started after it stay covered.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_ORDER_ID_SECRET } from '../../config';
import { createDb, type Db } from '../../db/connection';
import { orderIdFor, orderWorkflowId } from '../../domain/orders/identity';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { authHeader } from '../support/app';
import { createProduct } from '../support/fixtures';
import { getJson } from '../support/http';
import {
  cancelOrder,
  type OrderStack,
  orderBody,
  placeOrder,
  setStatus,
  shipOrder,
  startOrderStack,
  waitForOrder,
} from '../support/orders';

const tag = process.env.RECORD_ORDER_HISTORIES_TAG ? `.${process.env.RECORD_ORDER_HISTORIES_TAG}` : '';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`recording stopped: ${what}`);
}

async function save(stack: OrderStack, name: string, orderId: string) {
  const handle = stack.workers.client.workflow.getHandle(orderWorkflowId(orderId));
  await handle.result().catch(() => undefined);
  const history = await handle.fetchHistory();
  const file = path.join(__dirname, '..', 'histories', `order-${name}${tag}.json`);
  writeFileSync(file, JSON.stringify(history, null, 1));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

/** delivered, cancelled, declined, out of stock, failed → retried → delivered, flaky card. */
async function recordMainPaths(stack: OrderStack, db: Db) {
  const p = await createProduct(db, { stock: { 'wh-east': 100 } });
  // delivered
  const a = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  await setStatus(stack.api, a.body.id, { status: 'shipped', note: 'packed', trackingNumber: 'TRK-1' });
  await setStatus(stack.api, a.body.id, { status: 'delivered', note: '' });
  await save(stack, 'delivered', a.body.id);
  // cancelled after confirmation
  const b = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  await cancelOrder(stack.api, b.body.id, { reason: 'changed my mind' });
  await save(stack, 'cancelled', b.body.id);
  // declined
  const cBody = orderBody([{ sku: p.sku, quantity: 1 }], { payment: { token: 'tok_decline' } });
  check((await placeOrder(stack.api, cBody, 'rec-c')).status === 402, 'a declined card answers 402');
  await save(stack, 'declined', orderIdFor(cBody.customerId, 'rec-c', DEV_ORDER_ID_SECRET));
  // out of stock
  const dBody = orderBody([{ sku: p.sku, quantity: 1000 }]);
  check((await placeOrder(stack.api, dBody, 'rec-d')).status === 409, 'an out-of-stock order answers 409');
  await save(stack, 'out-of-stock', orderIdFor(dBody.customerId, 'rec-d', DEV_ORDER_ID_SECRET));
  // failed, then retried, shipped via signal-free path, delivered
  stack.payments.setFaults({ down: true });
  const e = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  await waitForOrder(stack.api, e.body.id, (o) => o.status === 'failed');
  stack.payments.setFaults({ down: false });
  await getJson(`${stack.api.url}/v1/ops/orders/${e.body.id}/retry`, { method: 'POST', headers: authHeader('support') });
  await waitForOrder(stack.api, e.body.id, (o) => o.status === 'confirmed');
  await setStatus(stack.api, e.body.id, { status: 'shipped', note: '' });
  await setStatus(stack.api, e.body.id, { status: 'delivered', note: '' });
  await save(stack, 'failed-retried-delivered', e.body.id);
  // flaky card
  const f = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }], { payment: { token: 'tok_flaky' } }));
  await cancelOrder(stack.api, f.body.id);
  await save(stack, 'flaky-cancelled', f.body.id);
}

/**
 * The carrier path: `ship` books the label (local activity), captures, commits, starts the
 * shipmentTracking child; delivery arrives as carrier webhooks → shipmentDelivered signal.
 */
async function recordBookedShipment(stack: OrderStack, db: Db) {
  const p = await createProduct(db, { stock: { 'wh-east': 10 } });
  const a = await placeOrder(
    stack.api,
    orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { carrier: 'parcelpro', service: 'priority' } }),
  );
  check(a.status === 201, 'the order is confirmed (201)');
  const shipped = await shipOrder(stack.api, a.body.id);
  check(shipped.status === 200, 'the shipment is booked (200)');
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${stack.carriers.url}/__advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trackingNumber: shipped.body.shipping.trackingNumber }),
    });
    check(r.status === 200, 'the carrier sandbox advances the parcel');
  }
  await waitForOrder(stack.api, a.body.id, (o) => o.status === 'delivered');
  await save(stack, 'shipped-booked-delivered', a.body.id);
}

async function main() {
  const only = process.argv[2];
  if (only !== undefined && only !== 'main' && only !== 'booked') throw new Error('usage: record-histories [main|booked]');
  await globalSetup();
  const db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
  let stack: OrderStack | undefined;
  try {
    stack = await startOrderStack();
    if (only !== 'booked') await recordMainPaths(stack, db);
    if (only !== 'main') await recordBookedShipment(stack, db);
  } finally {
    await stack?.close();
    await db.destroy();
    await globalTeardown();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
