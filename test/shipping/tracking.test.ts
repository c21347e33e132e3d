/**
 * Booking and tracking against the carrier sandbox: idempotent booking, webhooks (signed, replayed,
 * forged) and polling alone, each through every state to `delivered` with the full timeline.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { Redis } from 'ioredis';
import { createActivities } from '../../activities';
import { type BookedShipmentResult, bookShipmentOnce } from '../../activities/shipping/booking';
import { handleCarrierWebhook } from '../../api/shipping/carrier-webhook';
import { orderEventsChannel } from '../../cache/order-events';
import { createDb } from '../../db/connection';
import { signBody, signWebhook } from '../../integrations/carriers';
import {
  type ShipmentTrackingInput,
  shipmentTracking,
  shipmentTrackingWorkflowId,
  type TrackingState,
} from '../../workflows/shipment-tracking';
import { startTestApi, type TestApi } from '../support/app';
import { uniqueId } from '../support/config';
import { getJson, type Json } from '../support/http';
import { ADDRESS, control, insertOrder, type Sandbox, startSandbox, WEBHOOK_SECRET } from '../support/shipping';
import { recordHistory } from '../support/shipping-histories';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

let sandbox: Sandbox;
let workers: TestWorkers;
let api: TestApi;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  sandbox = await startSandbox(null);
  // Own task queues: another file's workers (pointed at its own sandbox) must not take our tasks.
  const overrides = { TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}tracking-`, CARRIER_URL: sandbox.url };
  [workers, api] = await Promise.all([startTestWorkers({ queues: ['shipping'], overrides }), startTestApi(overrides)]);
  activities = createActivities(workers.deps);
});
afterAll(async () => {
  await api?.close();
  await workers?.close();
  await sandbox?.close();
});

async function book(orderId: string, carrier = 'swiftship', service = 'ground'): Promise<BookedShipmentResult> {
  // Run as Temporal runs it (activity context, cancellation signal), without a workflow around it.
  return new MockActivityEnvironment().run(activities.bookShipment, {
    orderId,
    carrier,
    service,
    address: ADDRESS,
    parcels: [{ weightGrams: 1200 }],
    bookingKey: `order-${orderId}:book:1`,
  });
}

async function timeline(orderId: string) {
  const rows = await api.deps.db
    .selectFrom('order_events')
    .select(['status', 'note', 'at', 'event_key'])
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  return rows;
}

async function orderTracking(orderId: string) {
  return api.deps.db
    .selectFrom('orders')
    .select(['tracking_number', 'tracking_status', 'tracking_url'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
}

function postWebhook(carrier: string, body: string, signature: string | undefined) {
  return getJson(`${api.url}/v1/webhooks/carriers/${carrier}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-carrier-signature': signature }) },
    body,
  });
}

const FULL = ['label_created', 'in_transit', 'out_for_delivery', 'delivered'];

test('booking retried after a crash books one label: the carrier dedupes the key, the row is written once', async () => {
  const orderId = await insertOrder(api.deps.db);
  const bookingKey = `order-${orderId}:book:1`;
  const labelsBefore = sandbox.stats().swiftship?.labels ?? 0;
  // The first attempt reached the carrier, then the worker died before writing the row.
  const carrier = workers.deps.carriers.require('swiftship');
  const crashed = await carrier.bookShipment({
    service: 'ground',
    address: ADDRESS,
    parcels: [{ weightGrams: 1200 }],
    reference: orderId,
    idempotencyKey: bookingKey,
  });
  // Temporal retries the activity — several times at once, for good measure.
  const retries = await Promise.all(Array.from({ length: 5 }, () => book(orderId)));
  for (const r of retries) expect(r.trackingNumber).toBe(crashed.trackingNumber);
  expect((sandbox.stats().swiftship?.labels ?? 0) - labelsBefore).toBe(1);
  const rows = await api.deps.db.selectFrom('shipments').selectAll().where('order_id', '=', orderId).execute();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ booking_key: bookingKey, tracking_status: 'label_created', carrier: 'swiftship', service: 'ground' });
  expect(await orderTracking(orderId)).toMatchObject({ tracking_number: crashed.trackingNumber, tracking_status: 'label_created' });
  // And once the row exists, a retry does not even call the carrier.
  const calls = sandbox.stats().swiftship?.shipments ?? 0;
  await bookShipmentOnce(workers.deps, {
    orderId,
    carrier: 'swiftship',
    service: 'ground',
    address: ADDRESS,
    parcels: [{ weightGrams: 1200 }],
    bookingKey,
  });
  expect(sandbox.stats().swiftship?.shipments).toBe(calls);
});

test('webhooks: every state through signed webhooks reaches delivered with the full timeline and live events', async () => {
  await control(sandbox, '/__webhook', { url: `${api.url}/v1/webhooks/carriers/{carrier}` });
  const orderId = await insertOrder(api.deps.db);
  const shipment = await book(orderId);
  const sub = new Redis(workers.config.REDIS_URL);
  const live: Json[] = [];
  sub.on('message', (_channel, message) => live.push(JSON.parse(message)));
  await sub.subscribe(orderEventsChannel(workers.config.REDIS_KEY_PREFIX, orderId));
  try {
    const input: ShipmentTrackingInput = {
      orderId,
      carrier: 'swiftship',
      trackingNumber: shipment.trackingNumber,
      poll: { initialMs: 3_600_000 },
    };
    const handle = await workers.client.workflow.start(shipmentTracking, {
      taskQueue: workers.queues.shipping,
      workflowId: shipmentTrackingWorkflowId(shipment.trackingNumber),
      args: [input],
    });
    for (let i = 0; i < 3; i++) {
      const adv = await control(sandbox, '/__advance', { trackingNumber: shipment.trackingNumber });
      expect(adv.body.webhook).toMatchObject({ sent: true, status: 202 });
    }
    const state = (await handle.result()) as TrackingState;
    expect(state).toMatchObject({ status: 'delivered', polls: 0 });
    await recordHistory('shipmentTracking-webhooks', handle);
    expect((await timeline(orderId)).map((e) => e.status)).toEqual(FULL);
    expect(await orderTracking(orderId)).toMatchObject({ tracking_status: 'delivered' });
    const row = await api.deps.db
      .selectFrom('shipments')
      .select('tracking_status')
      .where('tracking_number', '=', shipment.trackingNumber)
      .executeTakeFirstOrThrow();
    expect(row.tracking_status).toBe('delivered');
    await waitUntil(() => live.length >= 4);
    expect(live.map((m) => m.status)).toEqual(FULL);
    expect(live[3]).toEqual(
      expect.objectContaining({
        id: expect.any(Number),
        orderId,
        type: 'tracking',
        status: 'delivered',
        at: expect.any(String),
        note: 'swiftship: Delivered',
      }),
    );

    // A replay of the delivered webhook is acknowledged and changes nothing.
    const body = JSON.stringify({
      id: `evt_${shipment.trackingNumber}_delivered`,
      carrier: 'swiftship',
      trackingNumber: shipment.trackingNumber,
      status: 'delivered',
      at: new Date().toISOString(),
    });
    const replay = await postWebhook('swiftship', body, signWebhook(body, WEBHOOK_SECRET));
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ status: 'ignored', reason: 'duplicate_event' });
    // A new event id that says nothing new is ignored by the tracking rules instead.
    const stale = body.replace('_delivered"', '_delivered_again"');
    const again = await postWebhook('swiftship', stale, signWebhook(stale, WEBHOOK_SECRET));
    expect(again.body).toEqual({ status: 'ignored', reason: 'not_newer_than_recorded' });
    expect((await timeline(orderId)).map((e) => e.status)).toEqual(FULL);
  } finally {
    await control(sandbox, '/__webhook', { url: null });
    sub.disconnect();
  }
}, 30_000);

test('a webhook with a bad or missing signature is 401 and changes nothing', async () => {
  const orderId = await insertOrder(api.deps.db);
  const shipment = await book(orderId);
  const before = { events: await timeline(orderId), order: await orderTracking(orderId) };
  const body = JSON.stringify({
    id: 'evt_forged',
    carrier: 'swiftship',
    trackingNumber: shipment.trackingNumber,
    status: 'delivered',
    at: new Date().toISOString(),
  });
  const now = Math.floor(Date.now() / 1000);
  const good = signWebhook(body, WEBHOOK_SECRET, now);
  for (const sig of [
    undefined,
    'deadbeef',
    signBody(body, WEBHOOK_SECRET), // the v1.0 scheme: no timestamp
    signWebhook(body, 'not-the-secret'),
    signWebhook(`${body} `, WEBHOOK_SECRET),
    `t=${now},v1=${'zz'.repeat(32)}`,
    `${good}0`, // one trailing hex character (accepted before v1.1)
    good.slice(0, -1),
    signWebhook(body, WEBHOOK_SECRET, now - 400), // too old (the exact 300 s bound: units.test.ts, with a fixed clock)
    signWebhook(body, WEBHOOK_SECRET, now + 400), // from the future
  ]) {
    const res = await postWebhook('swiftship', body, sig);
    expect({ sig, status: res.status, code: res.body.code }).toEqual({ sig, status: 401, code: 'unauthenticated' });
  }
  // Signed for one carrier, posted to another: that carrier's check fails too (same secret, wrong body carrier → 400).
  const wrongCarrier = await postWebhook('parcelpro', body, signWebhook(body, WEBHOOK_SECRET));
  expect(wrongCarrier.status).toBe(400);
  expect({ events: await timeline(orderId), order: await orderTracking(orderId) }).toEqual(before);
  const described = await workers.client.workflow
    .getHandle(shipmentTrackingWorkflowId(shipment.trackingNumber))
    .describe()
    .catch((e: Error) => e.name);
  expect(described).toBe('WorkflowNotFoundError');
  // A well-signed event for a parcel we do not know is acknowledged and ignored.
  const unknown = JSON.stringify({
    id: 'evt_x',
    carrier: 'swiftship',
    trackingNumber: uniqueId('SWNOPE'),
    status: 'in_transit',
    at: new Date().toISOString(),
  });
  const ignored = await postWebhook('swiftship', unknown, signWebhook(unknown, WEBHOOK_SECRET));
  expect(ignored).toMatchObject({ status: 200, body: { status: 'ignored', reason: 'unknown_tracking_number' } });
  const nope = await postWebhook('nosuchcarrier', unknown, signWebhook(unknown, WEBHOOK_SECRET));
  expect(nope.status).toBe(404);
});

test('the same webhook delivered many times at once is recorded once', async () => {
  const orderId = await insertOrder(api.deps.db);
  const shipment = await book(orderId);
  const body = JSON.stringify({
    id: `evt_${shipment.trackingNumber}_in_transit`,
    carrier: 'swiftship',
    trackingNumber: shipment.trackingNumber,
    status: 'in_transit',
    at: new Date().toISOString(),
  });
  const sig = signWebhook(body, WEBHOOK_SECRET);
  const answers = await Promise.all(Array.from({ length: 12 }, () => postWebhook('swiftship', body, sig)));
  // The event id is claimed once: exactly one delivery reaches the workflow (202 accepted), every
  // other is a duplicate of that event id (200 ignored) — nothing else.
  for (const a of answers) {
    expect({ status: a.status, body: a.body }).toEqual(
      a.status === 202
        ? { status: 202, body: { status: 'accepted' } }
        : { status: 200, body: { status: 'ignored', reason: 'duplicate_event' } },
    );
  }
  expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
  await waitUntil(async () => (await orderTracking(orderId)).tracking_status === 'in_transit');
  const handle = workers.client.workflow.getHandle(shipmentTrackingWorkflowId(shipment.trackingNumber));
  await waitUntil(async () => ((await handle.query('trackingState')) as TrackingState).events >= 2);
  expect((await timeline(orderId)).map((e) => e.status)).toEqual(['label_created', 'in_transit']);
  await handle.terminate('test done');
});

test("an event whose processing failed (503) is not remembered: the carrier's redelivery is processed", async () => {
  const orderId = await insertOrder(api.deps.db);
  const shipment = await book(orderId);
  const event = {
    eventId: `evt_${shipment.trackingNumber}_retry`,
    trackingNumber: shipment.trackingNumber,
    status: 'in_transit' as const,
    at: new Date().toISOString(),
  };
  const brokenDb = createDb({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 });
  try {
    await expect(handleCarrierWebhook({ ...api.deps, db: brokenDb }, 'swiftship', event, api.deps.logger)).rejects.toMatchObject({
      code: 'dependency_unavailable',
    });
  } finally {
    await brokenDb.destroy();
  }
  await expect(handleCarrierWebhook(api.deps, 'swiftship', event, api.deps.logger)).resolves.toEqual({ status: 'accepted' });
  await expect(handleCarrierWebhook(api.deps, 'swiftship', event, api.deps.logger)).resolves.toEqual({
    status: 'ignored',
    reason: 'duplicate_event',
  });
  await waitUntil(async () => (await orderTracking(orderId)).tracking_status === 'in_transit');
  await workers.client.workflow.getHandle(shipmentTrackingWorkflowId(shipment.trackingNumber)).terminate('test done');
});

test('polling alone (webhooks off): the workflow finds every state and reaches delivered with the full timeline', async () => {
  const orderId = await insertOrder(api.deps.db);
  const shipment = await book(orderId, 'parcelpro', 'standard');
  const input: ShipmentTrackingInput = {
    orderId,
    carrier: 'parcelpro',
    trackingNumber: shipment.trackingNumber,
    poll: { initialMs: 300, maxMs: 600 },
  };
  const handle = await workers.client.workflow.start(shipmentTracking, {
    taskQueue: workers.queues.shipping,
    workflowId: shipmentTrackingWorkflowId(shipment.trackingNumber),
    args: [input],
  });
  const trackingCalls = sandbox.stats().parcelpro?.tracking ?? 0;
  await control(sandbox, '/__advance', { trackingNumber: shipment.trackingNumber });
  await waitUntil(async () => (await orderTracking(orderId)).tracking_status === 'in_transit');
  // Two states at once between polls: both still land on the timeline, in order.
  await control(sandbox, '/__advance', { trackingNumber: shipment.trackingNumber });
  await control(sandbox, '/__advance', { trackingNumber: shipment.trackingNumber });
  const state = (await handle.result()) as TrackingState;
  expect(state.status).toBe('delivered');
  expect(state.polls).toBeGreaterThanOrEqual(2);
  await recordHistory('shipmentTracking-polling', handle);
  expect((sandbox.stats().parcelpro?.tracking ?? 0) - trackingCalls).toBe(state.polls);
  const events = await timeline(orderId);
  expect(events.map((e) => e.status)).toEqual(FULL);
  expect(new Set(events.map((e) => e.event_key)).size).toBe(4);
  expect(await orderTracking(orderId)).toMatchObject({
    tracking_status: 'delivered',
    tracking_url: expect.stringContaining(shipment.trackingNumber),
  });
}, 30_000);

async function waitUntil(pred: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
