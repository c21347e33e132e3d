/**
 * A cancellation that arrives while `secureOrder` runs (reserve → authorize → confirm in one local
 * activity). The Update reaches the workflow only when its workflow task ends (or, for a long
 * activity, when the task heartbeats — then the activity sees the cancellation and stops before
 * recording `confirmed`); either way the workflow waits for the local activity to end before it
 * compensates. The order's last word is `cancelled`: stock released, the one authorization
 * voided, no `confirmed` recorded after the compensations.
 */
import { DEV_ORDER_ID_SECRET } from '../../config';
import { orderIdFor } from '../../domain/orders/identity';
import { createProduct } from '../support/fixtures';
import { cancelOrder, type OrderStack, orderBody, placeOrder, startOrderStack, waitForOrder } from '../support/orders';

let stack: OrderStack;
beforeAll(async () => {
  stack = await startOrderStack();
}, 120_000);
afterAll(async () => stack?.close());

test('cancelled during a slow authorization: stock released, authorization voided, cancelled last', async () => {
  const db = stack.workers.deps.db;
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const body = orderBody([{ sku: p.sku, quantity: 2 }]);
  const key = 'slow-auth-1';
  const orderId = orderIdFor(body.customerId, key, DEV_ORDER_ID_SECRET);
  stack.payments.setFaults({ latencyMs: 1_500 });
  try {
    const placing = placeOrder(stack.api, body, key);
    // The order row exists once openPricedOrder ran; then the authorization hangs for 1.5 s.
    await waitForOrder(stack.api, orderId, (o) => o.status === 'placed', 10_000);
    const cancelled = await cancelOrder(stack.api, orderId, { reason: 'changed my mind' }, body.customerId);
    expect([200, 202]).toContain(cancelled.status);
    await placing;
  } finally {
    stack.payments.setFaults({ latencyMs: 0 });
  }
  const final = await waitForOrder(stack.api, orderId, (o) => o.status === 'cancelled', 20_000);
  expect(final.status).toBe('cancelled');

  const events = await db.selectFrom('order_events').select(['status']).where('order_id', '=', orderId).orderBy('id').execute();
  const statuses = events.map((e) => e.status);
  expect(statuses[0]).toBe('placed');
  expect(statuses.at(-1)).toBe('cancelled');
  expect(statuses.filter((s) => s === 'cancelled')).toHaveLength(1);
  const held = await db.selectFrom('reservations').select(['status']).where('order_id', '=', orderId).execute();
  expect(held.every((r) => r.status === 'released')).toBe(true);
  const ledger = (await (await fetch(`${stack.payments.url}/__ledger`)).json()) as {
    entries: Array<{ type: string; id: string; reference: string; authorizationId?: string }>;
  };
  const auths = ledger.entries.filter((e) => e.type === 'authorization' && e.reference === orderId);
  expect(auths).toHaveLength(1);
  const voids = ledger.entries.filter((e) => e.type === 'void' && (e.reference === auths[0]?.id || e.authorizationId === auths[0]?.id));
  expect(voids).toHaveLength(1);
}, 60_000);
