/**
 * The EasyPost-shaped aggregator adapter against the sandbox's fake of that API: rates (one
 * shipment per parcel), booking, tracking, signed tracker events — and through the engine:
 * rates next to a direct carrier, a webhook moving an EasyPost parcel.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { BookedShipmentResult } from '../../activities/shipping/booking';
import { EasyPostCarrier, easyPostSignature, WebhookSignatureError } from '../../integrations/carriers';
import { createCarriers } from '../../integrations/carriers/registry';
import { SANDBOX_CARRIERS, sandboxRates } from '../../integrations/sandbox/carrier-pricing';
import { shipmentTrackingWorkflowId } from '../../workflows/shipment-tracking';
import { startTestApi, type TestApi } from '../support/app';
import { getJson, type Json } from '../support/http';
import {
  ADDRESS,
  control,
  freshPostalCode,
  insertOrder,
  insertProducts,
  type Sandbox,
  startSandbox,
  WEBHOOK_SECRET,
} from '../support/shipping';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

let sandbox: Sandbox;
let ep: EasyPostCarrier;

beforeAll(async () => {
  sandbox = await startSandbox(null);
  ep = new EasyPostCarrier({
    name: 'easypost',
    baseUrl: `${sandbox.url}/easypost/v2`,
    apiKey: 'EZTK-test',
    webhookSecret: WEBHOOK_SECRET,
    fromAddressId: 'adr_1',
    timeoutMs: 2_000,
  });
});
afterAll(() => sandbox?.close());

test('rates: every resold service, one shipment per parcel, summed; amounts in minor units', async () => {
  const rates = await ep.rates({
    destination: { country: 'US', postalCode: '60601' },
    parcels: [{ weightGrams: 1000 }, { weightGrams: 2000 }],
  });
  expect(rates.map((r) => r.service).sort()).toEqual(
    [
      'ParcelPro:economy',
      'ParcelPro:priority',
      'ParcelPro:standard',
      'SwiftShip:express',
      'SwiftShip:ground',
      'SwiftShip:overnight',
    ].sort(),
  );
  // Weights travel in ounces (rounded up to 0.1 oz), so the grams the fake prices are those ounces back.
  const grams = (g: number) => Math.round((Math.ceil((g / 28.349523125) * 10) / 10) * 28.349523125);
  const expected =
    (sandboxRates(SANDBOX_CARRIERS.swiftship as never, { country: 'US', postalCode: '60601' }, [{ weightGrams: grams(1000) }])[0]?.amount
      .amount ?? 0) +
    (sandboxRates(SANDBOX_CARRIERS.swiftship as never, { country: 'US', postalCode: '60601' }, [{ weightGrams: grams(2000) }])[0]?.amount
      .amount ?? 0);
  expect(rates.find((r) => r.service === 'SwiftShip:ground')?.amount).toEqual({ amount: expected, currency: 'USD' });
});

test('booking buys the chosen rate; tracking and signed tracker events follow the parcel', async () => {
  const booked = await ep.bookShipment({
    service: 'ParcelPro:standard',
    address: ADDRESS,
    parcels: [{ weightGrams: 800 }],
    reference: 'o-ep',
    idempotencyKey: 'ep-key-1',
  });
  expect(booked).toMatchObject({ status: 'label_created', trackingNumber: expect.stringMatching(/^EZ/), labelUrl: expect.any(String) });
  await expect(
    ep.bookShipment({
      service: 'ParcelPro:standard',
      address: ADDRESS,
      parcels: [{ weightGrams: 800 }, { weightGrams: 100 }],
      reference: 'o',
      idempotencyKey: 'k',
    }),
  ).rejects.toMatchObject({ reason: 'rejected', retryable: false });
  await expect(
    ep.bookShipment({ service: 'Nope:x', address: ADDRESS, parcels: [{ weightGrams: 800 }], reference: 'o', idempotencyKey: 'k2' }),
  ).rejects.toMatchObject({
    reason: 'rejected',
  });

  const adv = await control(sandbox, '/__advance', { trackingNumber: booked.trackingNumber });
  expect(adv.body.status).toBe('in_transit');
  const t = await ep.getTracking(booked.trackingNumber);
  expect(t.status).toBe('in_transit');
  expect(t.events.map((e) => e.status)).toEqual(['label_created', 'in_transit']);

  const event = JSON.stringify({
    object: 'Event',
    id: 'evt_1',
    description: 'tracker.updated',
    result: {
      tracking_code: booked.trackingNumber,
      status: 'out_for_delivery',
      tracking_details: [{ status: 'out_for_delivery', datetime: '2026-01-02T10:00:00Z', message: 'On the van' }],
    },
  });
  expect(ep.parseWebhook(Buffer.from(event), { 'x-hmac-signature': easyPostSignature(event, WEBHOOK_SECRET) })).toEqual({
    eventId: 'evt_1',
    trackingNumber: booked.trackingNumber,
    status: 'out_for_delivery',
    at: '2026-01-02T10:00:00Z',
    description: 'On the van',
  });
  expect(() => ep.parseWebhook(Buffer.from(event), { 'x-hmac-signature': easyPostSignature(event, 'other') })).toThrow(
    WebhookSignatureError,
  );
  expect(() => ep.parseWebhook(Buffer.from(event), {})).toThrow(WebhookSignatureError);
  const batch = JSON.stringify({ object: 'Event', id: 'evt_2', description: 'batch.updated', result: {} });
  expect(ep.parseWebhook(Buffer.from(batch), { 'x-hmac-signature': easyPostSignature(batch, WEBHOOK_SECRET) })).toBeNull();
});

test('the registry refuses easypost without its key and origin address', () => {
  const base = { CARRIER_URL: sandbox.url, CARRIER_WEBHOOK_SECRET: WEBHOOK_SECRET, CARRIER_TIMEOUT_MS: 500 };
  expect(() => createCarriers({ ...base, CARRIERS_ENABLED: 'swiftship,easypost' })).toThrow(/EASYPOST_API_KEY/);
  const reg = createCarriers({ ...base, CARRIERS_ENABLED: 'swiftship,easypost', EASYPOST_API_KEY: 'k', EASYPOST_FROM_ADDRESS_ID: 'adr_1' });
  expect(reg.require('easypost')).toBeInstanceOf(EasyPostCarrier);
});

describe('through the engine', () => {
  let workers: TestWorkers;
  let api: TestApi;
  beforeAll(async () => {
    const overrides = {
      TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}easypost-`,
      CARRIER_URL: sandbox.url,
      CARRIERS_ENABLED: 'swiftship,easypost',
      EASYPOST_URL: `${sandbox.url}/easypost/v2`,
      EASYPOST_API_KEY: 'EZTK-test',
      EASYPOST_FROM_ADDRESS_ID: 'adr_1',
    };
    [workers, api] = await Promise.all([startTestWorkers({ queues: ['shipping'], overrides }), startTestApi(overrides)]);
  });
  afterAll(async () => {
    await api?.close();
    await workers?.close();
  });

  test('rates list the aggregator quotes beside the direct carrier', async () => {
    const [sku] = await insertProducts(api.deps.db, [700]);
    const res = await getJson(`${api.url}/v1/shipping/rates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ destination: { country: 'US', postalCode: freshPostalCode() }, items: [{ sku, quantity: 1 }] }),
    });
    expect(res.status).toBe(200);
    const byCarrier = new Map<string, number>();
    for (const q of res.body.quotes as Json[]) byCarrier.set(q.carrier, (byCarrier.get(q.carrier) ?? 0) + 1);
    expect(Object.fromEntries(byCarrier)).toEqual({ swiftship: 3, easypost: 6 });
  });

  test('an EasyPost tracker event moves the order timeline', async () => {
    await control(sandbox, '/__webhook', { url: `${api.url}/v1/webhooks/carriers/{carrier}` });
    try {
      const orderId = await insertOrder(api.deps.db);
      const activities = createActivities(workers.deps);
      const shipment: BookedShipmentResult = await new MockActivityEnvironment().run(activities.bookShipment, {
        orderId,
        carrier: 'easypost',
        service: 'SwiftShip:express',
        address: ADDRESS,
        parcels: [{ weightGrams: 700 }],
        bookingKey: `order-${orderId}:book:1`,
      });
      for (let i = 0; i < 3; i++) {
        const adv = await control(sandbox, '/__advance', { trackingNumber: shipment.trackingNumber });
        expect(adv.body.webhook).toMatchObject({ sent: true, status: 202 });
      }
      const handle = workers.client.workflow.getHandle(shipmentTrackingWorkflowId(shipment.trackingNumber));
      expect((await handle.describe()).type).toBe('shipmentTracking');
      await handle.result();
      const events = await api.deps.db.selectFrom('order_events').select('status').where('order_id', '=', orderId).orderBy('id').execute();
      expect(events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'out_for_delivery', 'delivered']);
    } finally {
      await control(sandbox, '/__webhook', { url: null });
    }
  }, 30_000);
});
