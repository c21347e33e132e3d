/**
 * The order workflow on the time-skipping test server, with the real order and inventory
 * activities against Postgres (only the payment call is replaced): durable timers that last
 * minutes or days run in a moment.
 */

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps } from '../../activities/deps';
import { DEV_ORDER_ID_SECRET } from '../../config';
import { orderIdFor, orderWorkflowId, requestHash } from '../../domain/orders/identity';
import type { OrderWorkflowInput } from '../../domain/orders/types';
import { PaymentRejectedError, type PaymentsClient } from '../../integrations/payments/types';
import { order } from '../../workflows/order';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { flatRateActivityDeps } from '../support/flat-rate-shipping';
import { startTimeSkippingEnv } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
let deps: ActivityDeps;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  // Flat shipping prices: these tests are about timers, not about reaching a carrier.
  deps = flatRateActivityDeps('timeskip');
}, 60_000);
afterAll(async () => {
  await env?.teardown();
  if (deps) await closeActivityDeps(deps);
});

const MINUTE = 60_000;

function input(sku: string, policy: Partial<OrderWorkflowInput['policy']> = {}): OrderWorkflowInput {
  const customerId = uniqueId('cust-');
  const key = uniqueId('k-');
  const body = { customerId, key, sku };
  return {
    orderId: orderIdFor(customerId, key, DEV_ORDER_ID_SECRET),
    customerId,
    email: 'ada@example.com',
    idempotencyKey: key,
    requestHash: requestHash(body),
    items: [{ sku, quantity: 2 }],
    shippingAddress: { name: 'Ada', line1: '1 Road', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
    shipping: { carrier: 'swiftship', service: 'standard' },
    paymentToken: 'tok_visa',
    policy: {
      paymentWindowMs: 15 * MINUTE,
      failedHoldMs: 72 * 60 * MINUTE,
      step: { maximumAttempts: 1_000, initialIntervalMs: 2 * MINUTE, maximumIntervalMs: 5 * MINUTE },
      ...policy,
    },
  };
}

async function reservedOf(sku: string): Promise<number> {
  const r = await deps.db
    .selectFrom('inventory_levels')
    .select(sql<number>`sum(reserved)`.as('reserved'))
    .where('sku', '=', sku)
    .executeTakeFirstOrThrow();
  return Number(r.reserved);
}

async function run(activities: ReturnType<typeof createActivities>, wfInput: OrderWorkflowInput, during?: () => Promise<void>) {
  const taskQueue = uniqueId('ts-orders-').toLowerCase();
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: bundlePath }, activities });
  return worker.runUntil(async () => {
    const started = await env.currentTimeMs();
    const handle = await env.client.workflow.start(order, { taskQueue, workflowId: orderWorkflowId(wfInput.orderId), args: [wfInput] });
    if (during) await during();
    const result = await handle.result();
    return { result, elapsedMs: (await env.currentTimeMs()) - started };
  });
}

/** The deps with a payment provider whose authorizations do `authorize` (the activities and `secureOrder` alike). */
function authorizingWith(authorize: PaymentsClient['authorize']): ActivityDeps {
  return { ...deps, payments: { ...deps.payments, authorize } };
}

test('payment window: an authorization that never succeeds releases the stock after 15 simulated minutes', async () => {
  const p = await createProduct(deps.db, { stock: { 'wh-east': 5 } });
  const calls: number[] = [];
  const activities = {
    ...createActivities(
      authorizingWith(async () => {
        calls.push(Date.now());
        throw new Error('payment provider unreachable (test)');
      }),
    ),
    async voidPayment() {
      return { voided: false };
    },
    async sendOrderEmail() {
      return { sent: true };
    },
  } as ReturnType<typeof createActivities>;
  const wf = input(p.sku);
  const { result, elapsedMs } = await run(activities, wf);
  expect(result).toEqual({ orderId: wf.orderId, status: 'cancelled' });
  expect(elapsedMs).toBeGreaterThanOrEqual(15 * MINUTE);
  expect(calls.length).toBeGreaterThanOrEqual(2);
  expect(await reservedOf(p.sku)).toBe(0);
  const order = await deps.db.selectFrom('orders').select(['status']).where('id', '=', wf.orderId).executeTakeFirstOrThrow();
  expect(order.status).toBe('cancelled');
  const events = await deps.db
    .selectFrom('order_events')
    .select(['status', 'note'])
    .where('order_id', '=', wf.orderId)
    .orderBy('id')
    .execute();
  expect(events.map((e) => e.status)).toEqual(['placed', 'cancelled']);
  expect(events[1]?.note).toContain('payment window');
}, 60_000);

test('failed-order hold limit: a failed order nobody resumes is cancelled after FAILED_ORDER_HOLD_HOURS, stock released', async () => {
  const p = await createProduct(deps.db, { stock: { 'wh-east': 5 } });
  const activities = {
    ...createActivities(
      authorizingWith(async () => {
        throw new PaymentRejectedError('merchant account suspended (test)', 403, 'account_suspended');
      }),
    ),
    async voidPayment() {
      return { voided: false };
    },
    async sendOrderEmail() {
      return { sent: true };
    },
  } as ReturnType<typeof createActivities>;
  const wf = input(p.sku, { failedHoldMs: 72 * 60 * MINUTE });
  const { result, elapsedMs } = await run(activities, wf, async () => {
    // While it waits, the order is failed with the stock still held.
    for (let i = 0; i < 100; i++) {
      const row = await deps.db.selectFrom('orders').select(['status', 'failure']).where('id', '=', wf.orderId).executeTakeFirst();
      if (row?.status === 'failed') {
        expect(row.failure).toMatchObject({ code: 'payment_rejected', step: 'authorize', retryable: false });
        expect(await reservedOf(p.sku)).toBe(2);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  expect(result).toEqual({ orderId: wf.orderId, status: 'cancelled' });
  expect(elapsedMs).toBeGreaterThanOrEqual(72 * 60 * MINUTE);
  expect(await reservedOf(p.sku)).toBe(0);
  const events = await deps.db.selectFrom('order_events').select(['status']).where('order_id', '=', wf.orderId).orderBy('id').execute();
  expect(events.map((e) => e.status)).toEqual(['placed', 'failed', 'cancelled']);
}, 60_000);
