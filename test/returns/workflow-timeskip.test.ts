/**
 * The return workflow on the time-skipping test server, with the real return activities against
 * Postgres (only the carrier calls and the email are replaced): an approved return whose parcel
 * never moves is closed after RETURN_LABEL_DAYS (`rejected`, note `label_expired`) by a durable
 * timer — fourteen days in a moment — while the workflow keeps polling the carrier.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { DEV_ORDER_ID_SECRET } from '../../config';
import { insertOrder, recordStatusChange } from '../../db/queries/orders';
import { returnEligibility } from '../../db/queries/returns';
import { orderIdFor, requestHash } from '../../domain/orders/identity';
import { returnIdFor, returnWorkflowId } from '../../domain/returns/identity';
import type { ReturnWorkflowInput } from '../../domain/returns/types';
import { createLogger } from '../../observability/logger';
import { approveReturnUpdate, RETURN_WORKFLOW } from '../../workflows/return/messages';
import { testConfig, uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { startTimeSkippingEnv } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
let deps: ActivityDeps;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  deps = createActivityDeps(testConfig(), createLogger({ level: 'silent', name: 'return-timeskip' }));
}, 60_000);
afterAll(async () => {
  await env?.teardown();
  if (deps) await closeActivityDeps(deps);
});

const DAY = 86_400_000;

/** A delivered, captured order written straight to Postgres (the order workflow is not the subject here). */
async function deliveredOrder(sku: string) {
  const customerId = uniqueId('cust-');
  const key = uniqueId('k-');
  const orderId = orderIdFor(customerId, key, DEV_ORDER_ID_SECRET);
  await insertOrder(deps.db, {
    priced: {
      orderId,
      currency: 'USD',
      lines: [{ lineNo: 1, sku, name: sku, quantity: 1, unitPrice: 1999, lineTotal: 1999 }],
      subtotal: 1999,
      shippingAmount: 500,
      total: 2499,
      carrier: 'swiftship',
      service: 'standard',
    },
    customerId,
    email: 'ada@example.com',
    shippingAddress: { name: 'Ada', line1: '1 Road', city: 'London', postalCode: 'N1 1AA', country: 'GB' },
    quoteId: null,
    idempotencyKey: key,
    requestHash: requestHash({ key }),
    workflowId: `order-${orderId}`,
  });
  await recordStatusChange(deps.db, { orderId, eventKey: 'shipped', status: 'shipped', captureId: 'cap_test' });
  await recordStatusChange(deps.db, { orderId, eventKey: 'delivered', status: 'delivered' });
  return { orderId, customerId };
}

test('label expiry: an approved return whose parcel never moves is rejected (label_expired) after RETURN_LABEL_DAYS', async () => {
  const p = await createProduct(deps.db, { stock: { 'wh-east': 5 } });
  const { orderId, customerId } = await deliveredOrder(p.sku);
  const key = uniqueId('rk-');
  const returnId = returnIdFor(orderId, key);
  const emails: string[] = [];
  let polls = 0;
  const activities = {
    ...createActivities(deps),
    async bookReturnLabel() {
      return {
        carrier: 'swiftship',
        service: 'standard',
        trackingNumber: `SWR${returnId.slice(4, 14)}`,
        labelUrl: 'https://labels.test/x.pdf',
      };
    },
    async pollReturnParcel(input: { trackingNumber: string }) {
      polls++;
      return { trackingNumber: input.trackingNumber, status: 'label_created' as const, trackingUrl: null, events: [] };
    },
    async sendReturnEmail(input: { kind: string }) {
      emails.push(input.kind);
      return { sent: true };
    },
  } as ReturnType<typeof createActivities>;
  const input: ReturnWorkflowInput = {
    returnId,
    orderId,
    customerId,
    idempotencyKey: key,
    requestHash: requestHash({ key }),
    items: [{ sku: p.sku, quantity: 1 }],
    reason: 'changed my mind',
    policy: {
      windowMs: 30 * DAY,
      labelValidMs: 14 * DAY,
      step: { maximumAttempts: 3, initialIntervalMs: 1_000, maximumIntervalMs: 2_000 },
      poll: { initialMs: 300_000, maxMs: 6 * 3_600_000 },
    },
  };
  const taskQueue = uniqueId('ts-returns-').toLowerCase();
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: bundlePath }, activities });
  const { result, elapsedMs } = await worker.runUntil(async () => {
    const started = await env.currentTimeMs();
    const handle = await env.client.workflow.start(RETURN_WORKFLOW, { taskQueue, workflowId: returnWorkflowId(returnId), args: [input] });
    expect(await handle.executeUpdate(approveReturnUpdate, { args: [{ by: 'test' }] })).toEqual({ status: 'approved' });
    // While the label is valid, the units are claimed by the return.
    expect((await returnEligibility(deps.db, orderId, 30 * DAY)).remaining.get(p.sku)?.remaining).toBe(0);
    const result = await handle.result();
    if (process.env.RECORD_RETURN_HISTORIES === '1') {
      // The one path the dev-server recorder cannot reach in reasonable time (see test/returns/record-histories.ts).
      writeFileSync(
        path.join(__dirname, '..', 'histories', 'return-label-expired.json'),
        JSON.stringify(await handle.fetchHistory(), null, 1),
      );
    }
    return { result, elapsedMs: (await env.currentTimeMs()) - started };
  });
  expect(result).toEqual({ returnId, status: 'rejected' });
  expect(elapsedMs).toBeGreaterThanOrEqual(14 * DAY);
  expect(elapsedMs).toBeLessThan(15 * DAY);
  expect(polls).toBeGreaterThan(5); // followed the parcel meanwhile, on growing sleeps
  const row = await deps.db.selectFrom('returns').select(['status', 'note']).where('id', '=', returnId).executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'rejected', note: 'label_expired' });
  expect(emails).toEqual(['return_approved', 'return_rejected']);
  // A rejected return claims nothing: the unit may be requested again.
  expect((await returnEligibility(deps.db, orderId, 30 * DAY)).remaining.get(p.sku)?.remaining).toBe(1);
}, 120_000);
