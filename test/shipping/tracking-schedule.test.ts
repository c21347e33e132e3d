/**
 * The polling schedule of shipmentTracking on the time-skipping server: sleeps grow 5 min → 6 h
 * while nothing changes, reset after a change, survive continue-as-new, and delivery is reported
 * to the parent order workflow. Carrier and database are replaced by recording activities.
 */
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RecordTrackingInput } from '../../activities/shipping/tracking';
import type { TrackingStatus } from '../../domain/shipping/tracking';
import type { TrackingInfo } from '../../integrations/carriers';
import { temporalTestServer } from '../../stack/binaries';
import type { ShipmentTrackingInput, TrackingState } from '../../workflows/shipment-tracking';
import { quietRuntime } from '../support/quiet-runtime';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER ?? temporalTestServer() } },
  });
}, 60_000);
afterAll(async () => env?.teardown());

const MIN = 60_000;

test('quiet polls back off 5 min → 6 h, a change resets the interval, delivery signals the order workflow', async () => {
  const polls: number[] = [];
  const recorded: RecordTrackingInput[] = [];
  // The parcel: created; in transit from the 4th poll; delivered at the 13th.
  const statusAtPoll = (n: number): TrackingStatus => (n >= 13 ? 'delivered' : n >= 4 ? 'in_transit' : 'label_created');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'tracking-schedule',
    workflowsPath: path.join(__dirname, '..', 'support', 'workflows', 'shipping.ts'),
    activities: {
      async pollCarrierTracking(input: { carrier: string; trackingNumber: string }): Promise<TrackingInfo> {
        polls.push(Context.current().info.currentAttemptScheduledTimestampMs);
        const status = statusAtPoll(polls.length);
        return {
          trackingNumber: input.trackingNumber,
          status,
          trackingUrl: null,
          events: [{ status, at: new Date(polls.at(-1) as number).toISOString() }],
        };
      },
      async recordTrackingUpdate(input: RecordTrackingInput): Promise<boolean> {
        recorded.push(input);
        return true;
      },
    },
  });
  const result = await worker.runUntil(async () => {
    const parent = await env.client.workflow.start('awaitDelivery', { taskQueue: 'tracking-schedule', workflowId: 'order-sched-1' });
    const input: ShipmentTrackingInput = {
      orderId: 'sched-1',
      carrier: 'swiftship',
      trackingNumber: 'SWSCHED1',
      orderWorkflowId: 'order-sched-1',
      maxIterations: 5, // continue-as-new every 5 wake-ups: the schedule must carry over
    };
    const start = await env.currentTimeMs();
    const tracking = await env.client.workflow.start('shipmentTracking', {
      taskQueue: 'tracking-schedule',
      workflowId: 'shipment-SWSCHED1',
      args: [input],
    });
    const state = (await tracking.result()) as TrackingState;
    return { start, state, delivered: await parent.result(), runs: await countRuns(tracking.workflowId, tracking.firstExecutionRunId) };
  });

  const gapsMin = polls.map((t, i) => Math.round((t - (i === 0 ? result.start : (polls[i - 1] as number))) / MIN));
  // 5, 10, 20 quiet; the 4th finds in_transit → back to 5, then doubling to the 6 h cap.
  expect(gapsMin).toEqual([5, 10, 20, 40, 5, 10, 20, 40, 80, 160, 320, 360, 360]);
  expect(recorded.map((r) => r.status)).toEqual(['label_created', 'in_transit', 'delivered']);
  expect(result.state).toMatchObject({ status: 'delivered', polls: 13 });
  expect(result.delivered).toMatchObject({ trackingNumber: 'SWSCHED1', carrier: 'swiftship' });
  expect(result.runs).toBeGreaterThanOrEqual(3);
}, 60_000);

test('webhook signals move the parcel without waiting for a poll; stale and replayed events are ignored', async () => {
  const recorded: RecordTrackingInput[] = [];
  let polls = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'tracking-signals',
    workflowsPath: path.join(__dirname, '..', 'support', 'workflows', 'shipping.ts'),
    activities: {
      async pollCarrierTracking(input: { trackingNumber: string }): Promise<TrackingInfo> {
        polls++;
        return { trackingNumber: input.trackingNumber, status: 'label_created', trackingUrl: null, events: [] };
      },
      async recordTrackingUpdate(input: RecordTrackingInput): Promise<boolean> {
        recorded.push(input);
        return true;
      },
    },
  });
  const state = await worker.runUntil(async () => {
    const input: ShipmentTrackingInput = {
      orderId: 'sig-1',
      carrier: 'parcelpro',
      trackingNumber: 'PPSIG1',
      poll: { initialMs: 3_600_000 },
    };
    const h = await env.client.workflow.start('shipmentTracking', {
      taskQueue: 'tracking-signals',
      workflowId: 'shipment-PPSIG1',
      args: [input],
    });
    const at = new Date().toISOString();
    for (const status of ['in_transit', 'in_transit', 'label_created', 'out_for_delivery', 'in_transit', 'delivered'] as const) {
      await h.signal('trackingEvent', { status, at, source: 'webhook' });
    }
    return (await h.result()) as TrackingState;
  });
  expect(recorded.map((r) => r.status)).toEqual(['label_created', 'in_transit', 'out_for_delivery', 'delivered']);
  expect(state.status).toBe('delivered');
  expect(polls).toBe(0);
}, 60_000);

/** Follows the continue-as-new chain from the first run. */
async function countRuns(workflowId: string, firstRunId: string): Promise<number> {
  let runs = 0;
  for (let runId: string | null | undefined = firstRunId; runId; runs++) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}
