/**
 * The order workflow never retries forever on what no retry can fix (issue 12 finding 1, issue 11
 * item 4), on the time-skipping server with the real activities against Postgres:
 * - an order row Postgres can never store (a NUL in the jsonb address, pg 22P05) is a refusal.
 *   Before: `openPricedOrder` retried forever through the unbounded `books` proxy; GET said 404.
 * - a cancellation whose record fails for good parks the order as `failed` (step `cancel`), visible
 *   to support, and support's retry completes it. Before: `recordOrderStatus` failed forever
 *   (pg 22021 for a NUL in the reason) and the order still read `confirmed`.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps } from '../../activities/deps';
import { createReservationActivities } from '../../activities/inventory/reservations';
import { createPaymentActivities } from '../../activities/orders/payments';
import { createOrderRecordActivities } from '../../activities/orders/records';
import { createSecureOrderActivity } from '../../activities/orders/secure';
import { findRejection } from '../../db/queries/orders';
import { orderIdFor, orderWorkflowId, requestHash } from '../../domain/orders/identity';
import type { OrderWorkflowInput } from '../../domain/orders/types';
import type { PaymentsClient } from '../../integrations/payments/types';
import { cancelOrderUpdate, orderStateQuery, retryOrderUpdate } from '../../workflows/order';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { flatRateActivityDeps } from '../support/flat-rate-shipping';
import { startTimeSkippingEnv } from '../support/time-skipping';

type Activities = ReturnType<typeof createActivities>;

let env: TestWorkflowEnvironment;
let deps: ActivityDeps;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  deps = flatRateActivityDeps('bounded');
}, 60_000);
afterAll(async () => {
  await env?.teardown();
  if (deps) await closeActivityDeps(deps);
});

const MINUTE = 60_000;

function input(sku: string, address: OrderWorkflowInput['shippingAddress']): OrderWorkflowInput {
  const customerId = uniqueId('cust-');
  const key = uniqueId('k-');
  return {
    orderId: orderIdFor(customerId, key, 'test-order-id-secret'),
    customerId,
    email: 'ada@example.com',
    idempotencyKey: key,
    requestHash: requestHash({ customerId, key, sku }),
    items: [{ sku, quantity: 1 }],
    shippingAddress: address,
    shipping: { carrier: 'swiftship', service: 'standard' },
    paymentToken: 'tok_visa',
    policy: {
      paymentWindowMs: 15 * MINUTE,
      failedHoldMs: 72 * 60 * MINUTE,
      step: { maximumAttempts: 3, initialIntervalMs: 1_000, maximumIntervalMs: 2_000 },
    },
  };
}

const ADDRESS = { name: 'Ada', line1: '1 Road', city: 'London', postalCode: 'N1 1AA', country: 'GB' };

/** The activities with a payment provider that authorizes everything (the order path's `secureOrder` included). */
function fakePayments(): Activities {
  const payments: PaymentsClient = {
    ...deps.payments,
    async authorize(r) {
      return { authorizationId: 'auth_test', amount: r.amount, currency: r.currency };
    },
    async void() {
      return { authorizationId: 'auth_test' };
    },
  };
  return {
    ...createActivities({ ...deps, payments }),
    async sendOrderEmail() {
      return { sent: true };
    },
  } as Activities;
}

async function withWorker<T>(activities: Activities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('bounded-').toLowerCase();
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: bundlePath }, activities });
  return worker.runUntil(() => fn(taskQueue));
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an order row Postgres can never store (NUL in the address) is refused, not retried forever', async () => {
  const p = await createProduct(deps.db, { stock: { 'wh-east': 5 } });
  const wf = input(p.sku, { ...ADDRESS, name: 'Ada\u0000Buyer' });
  let opens = 0;
  const real = fakePayments();
  const activities = {
    ...real,
    async openPricedOrder(...args: Parameters<Activities['openPricedOrder']>) {
      opens += 1;
      return real.openPricedOrder(...args);
    },
  } as Activities;
  const result = await withWorker(activities, async (taskQueue) => {
    const handle = await env.client.workflow.start('order', { taskQueue, workflowId: orderWorkflowId(wf.orderId), args: [wf] });
    return handle.result();
  });
  expect(result).toEqual({ orderId: wf.orderId, status: 'cancelled' });
  expect(opens).toBe(1); // one attempt: pg 22P05 is non-retryable
  const refused = await findRejection(deps.db, wf.orderId);
  expect(refused?.rejection).toMatchObject({ code: 'invalid_request' });
  expect(refused?.rejection.detail).toMatch(/cannot be recorded.*22P05/);
  expect(await deps.db.selectFrom('orders').select('id').where('id', '=', wf.orderId).executeTakeFirst()).toBeUndefined();
});

test('a cancellation whose record fails for good parks the order as failed for support; support’s retry completes it', async () => {
  const p = await createProduct(deps.db, { stock: { 'wh-east': 5 } });
  const wf = input(p.sku, ADDRESS);
  const real = fakePayments();
  let refuse = true;
  const activities = {
    ...real,
    async recordOrderStatus(change: Parameters<Activities['recordOrderStatus']>[0]) {
      if (change.status === 'cancelled' && refuse) {
        throw ApplicationFailure.create({ type: 'invalid_data', message: 'Postgres refused the data (22021) (test)', nonRetryable: true });
      }
      return real.recordOrderStatus(change);
    },
  } as Activities;

  await withWorker(activities, async (taskQueue) => {
    const handle = await env.client.workflow.start('order', { taskQueue, workflowId: orderWorkflowId(wf.orderId), args: [wf] });
    await until(
      () => handle.query(orderStateQuery),
      (s) => s.status === 'confirmed',
    );
    const cancelling = handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'x\u0000y', by: 'customer' }] });
    const parked = await until(
      () => handle.query(orderStateQuery),
      (s) => s.status === 'failed',
    );
    expect(parked.failure).toMatchObject({ step: 'cancel', retryable: false });
    // Visible to support: the row says failed, with the failure.
    const row = await deps.db.selectFrom('orders').select(['status', 'failure']).where('id', '=', wf.orderId).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(JSON.stringify(row.failure)).toContain('cancel');

    refuse = false;
    await handle.executeUpdate(retryOrderUpdate, { args: [{ by: 'support' }] });
    expect(await cancelling).toEqual({ status: 'cancelled' });
    expect(await handle.result()).toEqual({ orderId: wf.orderId, status: 'cancelled' });
  });
  const row = await deps.db.selectFrom('orders').select(['status', 'failure']).where('id', '=', wf.orderId).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ status: 'cancelled', failure: null });
});

test('an order whose total passes what a money column holds is refused at pricing (before: pg 22003 retried forever)', async () => {
  const p = await createProduct(deps.db, { priceAmount: 2_000_000_000, stock: { 'wh-east': 5 } });
  const wf = { ...input(p.sku, ADDRESS), items: [{ sku: p.sku, quantity: 2 }] };
  const result = await withWorker(fakePayments(), async (taskQueue) => {
    const handle = await env.client.workflow.start('order', { taskQueue, workflowId: orderWorkflowId(wf.orderId), args: [wf] });
    return handle.result();
  });
  expect(result).toEqual({ orderId: wf.orderId, status: 'cancelled' });
  const refused = await findRejection(deps.db, wf.orderId);
  expect(refused?.rejection).toMatchObject({
    code: 'invalid_request',
    errors: [{ path: 'items[0].quantity', message: 'the line total exceeds 2147483647' }],
  });
});

test('secureOrder: a confirm that fails parks the order at `confirm` (stock held, card authorized once); support’s retry confirms it', async () => {
  const p = await createProduct(deps.db, { stock: { 'wh-east': 5 } });
  const wf = input(p.sku, ADDRESS);
  const keys: string[] = [];
  const payments: PaymentsClient = {
    ...deps.payments,
    async authorize(r) {
      keys.push(r.idempotencyKey);
      return { authorizationId: 'auth_secure', amount: r.amount, currency: r.currency };
    },
  };
  const paid = { ...deps, payments };
  const records = createOrderRecordActivities(paid);
  let refuse = true;
  const activities = {
    ...fakePayments(),
    ...createSecureOrderActivity({
      reservations: createReservationActivities(paid),
      payments: createPaymentActivities(paid),
      records: {
        ...records,
        async recordOrderStatus(change: Parameters<Activities['recordOrderStatus']>[0]) {
          if (change.status === 'confirmed' && refuse) {
            throw ApplicationFailure.create({ type: 'invalid_data', message: 'Postgres refused the data (test)', nonRetryable: true });
          }
          return records.recordOrderStatus(change);
        },
      },
    }),
  } as Activities;

  await withWorker(activities, async (taskQueue) => {
    const handle = await env.client.workflow.start('order', { taskQueue, workflowId: orderWorkflowId(wf.orderId), args: [wf] });
    const parked = await until(
      () => handle.query(orderStateQuery),
      (s) => s.status === 'failed',
    );
    expect(parked.failure).toMatchObject({ step: 'confirm', code: 'confirm_failed', retryable: false });
    const held = await deps.db.selectFrom('reservations').select(['status']).where('order_id', '=', wf.orderId).execute();
    expect(held.map((r) => r.status)).toEqual(['held']);

    refuse = false;
    await handle.executeUpdate(retryOrderUpdate, { args: [{ by: 'support' }] });
    const confirmed = await until(
      () => handle.query(orderStateQuery),
      (s) => s.status === 'confirmed',
    );
    expect(confirmed.authorizationId).toBe('auth_secure');
  });
  // The retry re-ran the whole activity: the same authorization asked again with the same key.
  expect(keys).toEqual([`${wf.orderId}:authorize`, `${wf.orderId}:authorize`]);
  const row = await deps.db
    .selectFrom('orders')
    .select(['status', 'payment_authorization_id'])
    .where('id', '=', wf.orderId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'confirmed', payment_authorization_id: 'auth_secure' });
});
