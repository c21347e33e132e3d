/**
 * Records histories of the return workflow (and of the order workflow's goodwill refunds) for the
 * replay tests: `npm run record:return-histories` writes test/histories/return-*.json (and
 * order-goodwill-*.json, replayed with the order histories). Like the order recorder it brings the
 * test harness up and down; run it on purpose only. The label-expired history comes from the
 * time-skipping test: `RECORD_RETURN_HISTORIES=1 npx jest test/returns/workflow-timeskip.test.ts`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb, type Db } from '../../db/connection';
import { orderWorkflowId } from '../../domain/orders/identity';
import { returnWorkflowId } from '../../domain/returns/identity';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { authHeader } from '../support/app';
import { createProduct } from '../support/fixtures';
import { getJson } from '../support/http';
import { type OrderStack, orderBody, placeOrder, shipOrder, startOrderStack, waitForOrder } from '../support/orders';
import { advanceParcel, deliveredOrder, opsReturn, requestReturn, waitForReturn } from '../support/returns';

let stack: OrderStack;
let db: Db;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`recording stopped: ${what}`);
}

const tag = process.env.RECORD_RETURN_HISTORIES_TAG ? `.${process.env.RECORD_RETURN_HISTORIES_TAG}` : '';

async function save(file: string, workflowId: string, waitForClose = true) {
  const handle = stack.workers.client.workflow.getHandle(workflowId);
  if (waitForClose) await handle.result().catch(() => undefined);
  const history = await handle.fetchHistory();
  const out = path.join(__dirname, '..', 'histories', `${file}${tag}.json`);
  writeFileSync(out, JSON.stringify(history, null, 1));
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
}

async function recordAll() {
  // refunded: approve → parcel scanned and delivered (webhooks) → received (resellable + damaged) → refunded
  const a = await deliveredOrder(stack, db, [
    { price: 1500, quantity: 2 },
    { price: 2500, quantity: 1 },
  ]);
  const ra = await requestReturn(stack.api, a.order.id, {
    items: [
      { sku: a.skus[0], quantity: 1 },
      { sku: a.skus[1], quantity: 1 },
    ],
    reason: 'does not fit',
  });
  const approved = await opsReturn(stack.api, ra.body.id, 'approve');
  await advanceParcel(stack, approved.body.label.trackingNumber);
  await waitForReturn(stack.api, ra.body.id, (r) => r.status === 'in_transit');
  await advanceParcel(stack, approved.body.label.trackingNumber);
  await opsReturn(stack.api, ra.body.id, 'receive', {
    items: [
      { sku: a.skus[0], quantity: 1, condition: 'resellable' },
      { sku: a.skus[1], quantity: 1, condition: 'damaged' },
    ],
  });
  await waitForReturn(stack.api, ra.body.id, (r) => r.status === 'refunded');
  await save('return-refunded', returnWorkflowId(ra.body.id));

  // rejected by support
  const b = await deliveredOrder(stack, db, [{ price: 900, quantity: 1 }]);
  const rb = await requestReturn(stack.api, b.order.id, { items: [{ sku: b.skus[0], quantity: 1 }], reason: 'meh' });
  await opsReturn(stack.api, rb.body.id, 'reject', { reason: 'outside our policy' });
  await save('return-rejected', returnWorkflowId(rb.body.id));

  // refund provider down → failed → retry → refunded (whole order: shipping too)
  const c = await deliveredOrder(stack, db, [{ price: 1200, quantity: 1 }]);
  const rc = await requestReturn(stack.api, c.order.id, { items: [{ sku: c.skus[0], quantity: 1 }], reason: 'broken' });
  await opsReturn(stack.api, rc.body.id, 'approve');
  stack.payments.setFaults({ down: true });
  await opsReturn(stack.api, rc.body.id, 'receive', { items: [{ sku: c.skus[0], quantity: 1, condition: 'resellable' }] });
  await waitForReturn(stack.api, rc.body.id, (r) => r.status === 'failed');
  stack.payments.setFaults({ down: false });
  await opsReturn(stack.api, rc.body.id, 'retry');
  await waitForReturn(stack.api, rc.body.id, (r) => r.status === 'refunded');
  await save('return-failed-retried-refunded', returnWorkflowId(rc.body.id));

  // goodwill refund on a delivered order: an orderRefunds run under the order's workflow id
  const gw = await getJson(`${stack.api.url}/v1/ops/orders/${c.order.id}/refunds`, {
    method: 'POST',
    headers: { ...authHeader('support'), 'content-type': 'application/json', 'idempotency-key': 'rec-gw' },
    body: JSON.stringify({ amount: { amount: 1, currency: 'USD' }, reason: 'goodwill' }),
  });
  check(gw.status === 409, 'gw.status is 409'); // everything was refunded with the return
  const gw2 = await getJson(`${stack.api.url}/v1/ops/orders/${b.order.id}/refunds`, {
    method: 'POST',
    headers: { ...authHeader('support'), 'content-type': 'application/json', 'idempotency-key': 'rec-gw2' },
    body: JSON.stringify({ amount: { amount: 300, currency: 'USD' }, reason: 'goodwill' }),
  });
  check(gw2.status === 201, 'gw2.status is 201');
  await save('return-goodwill-order-refunds-run', orderWorkflowId(b.order.id));

  // goodwill refund while the order's own run is open (shipped), then delivered
  const p = await createProduct(db, { priceAmount: 2000, stock: { 'wh-east': 5 } });
  const d = await placeOrder(
    stack.api,
    orderBody([{ sku: p.sku, quantity: 1 }], { shipping: { carrier: 'parcelpro', service: 'priority' } }),
  );
  const shipped = await shipOrder(stack.api, d.body.id);
  const gw3 = await getJson(`${stack.api.url}/v1/ops/orders/${d.body.id}/refunds`, {
    method: 'POST',
    headers: { ...authHeader('support'), 'content-type': 'application/json', 'idempotency-key': 'rec-gw3' },
    body: JSON.stringify({ amount: { amount: 250, currency: 'USD' }, reason: 'late' }),
  });
  check(gw3.status === 201, 'gw3.status is 201');
  for (let i = 0; i < 3; i++) await advanceParcel(stack, shipped.body.shipping.trackingNumber);
  await waitForOrder(stack.api, d.body.id, (o) => o.status === 'delivered');
  await save('order-goodwill-refund-shipped-delivered', orderWorkflowId(d.body.id));
}

async function main() {
  await globalSetup();
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
  try {
    stack = await startOrderStack();
    await recordAll();
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
