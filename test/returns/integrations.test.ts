/**
 * The outside world of returns, without the engine: return labels through both carrier adapters
 * against the carrier sandbox (idempotent by key, a return parcel's shorter lifecycle), and the
 * payment sandbox's partial refunds of one capture (up to the captured amount, more refused).
 */
import { DirectCarrier, EasyPostCarrier } from '../../integrations/carriers';
import { createPaymentsClient } from '../../integrations/payments/client';
import { type PaymentSandbox, startPaymentSandbox } from '../../integrations/payments/sandbox';
import { PaymentRejectedError } from '../../integrations/payments/types';
import { ADDRESS, control, type Sandbox, startSandbox, WEBHOOK_SECRET } from '../support/shipping';

let sandbox: Sandbox;
let payments: PaymentSandbox;
beforeAll(async () => {
  [sandbox, payments] = await Promise.all([startSandbox(null), startPaymentSandbox({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([sandbox?.close(), payments?.close()]);
});

const label = (key: string) => ({
  service: 'ground',
  from: ADDRESS,
  parcels: [{ weightGrams: 800 }],
  reference: 'ret_test',
  idempotencyKey: key,
});

test('direct adapter: a return label is idempotent by key and moves label_created → in_transit → delivered', async () => {
  const swift = new DirectCarrier({ name: 'swiftship', baseUrl: sandbox.url, webhookSecret: WEBHOOK_SECRET, timeoutMs: 5_000 });
  const a = await swift.bookReturnLabel(label('ret_a:label'));
  expect(a).toMatchObject({ status: 'label_created', trackingNumber: expect.any(String), labelUrl: expect.stringMatching(/^http/) });
  expect(await swift.bookReturnLabel(label('ret_a:label'))).toEqual(a);
  const b = await swift.bookReturnLabel(label('ret_b:label'));
  expect(b.trackingNumber).not.toBe(a.trackingNumber);
  // A shipment booked under the same key is another parcel: returns have their own key space.
  const shipment = await swift.bookShipment({
    service: 'ground',
    address: ADDRESS,
    parcels: [{ weightGrams: 800 }],
    reference: 'o',
    idempotencyKey: 'ret_a:label',
  });
  expect(shipment.trackingNumber).not.toBe(a.trackingNumber);
  const seen: string[] = [];
  for (let i = 0; i < 2; i++) seen.push((await control(sandbox, '/__advance', { trackingNumber: a.trackingNumber })).body.status);
  expect(seen).toEqual(['in_transit', 'delivered']);
  expect((await swift.getTracking(a.trackingNumber)).status).toBe('delivered');
  expect((await control(sandbox, '/__advance', { trackingNumber: a.trackingNumber })).status).toBe(409);
});

test('EasyPost-shaped adapter: is_return shipments are bought once per key and skip out_for_delivery', async () => {
  const ep = new EasyPostCarrier({
    name: 'easypost',
    baseUrl: `${sandbox.url}/easypost/v2`,
    apiKey: 'EZTK-test',
    webhookSecret: WEBHOOK_SECRET,
    fromAddressId: 'adr_1',
    timeoutMs: 5_000,
  });
  const booked = await ep.bookReturnLabel({ ...label('ret_ep:label'), service: 'ParcelPro:standard' });
  expect(booked).toMatchObject({ status: 'label_created', trackingNumber: expect.stringMatching(/^EZ/) });
  const seen: string[] = [];
  for (let i = 0; i < 2; i++) seen.push((await control(sandbox, '/__advance', { trackingNumber: booked.trackingNumber })).body.status);
  expect(seen).toEqual(['in_transit', 'delivered']);
  expect((await ep.getTracking(booked.trackingNumber)).status).toBe('delivered');
});

test('payment sandbox: several partial refunds of one capture up to its amount; one more is refused (4xx) and not in the ledger', async () => {
  const client = createPaymentsClient({ baseUrl: payments.url });
  const auth = await client.authorize({
    idempotencyKey: 'o1:authorize',
    amount: 1000,
    currency: 'USD',
    token: 'tok_visa',
    reference: 'o1',
  });
  const cap = await client.capture({ idempotencyKey: 'o1:capture', authorizationId: auth.authorizationId, amount: 1000 });
  await client.refund({ idempotencyKey: 'r1', captureId: cap.captureId, amount: 400 });
  await client.refund({ idempotencyKey: 'r2', captureId: cap.captureId, amount: 600 });
  // The same key again is the same refund, not a third one.
  await client.refund({ idempotencyKey: 'r2', captureId: cap.captureId, amount: 600 });
  await expect(client.refund({ idempotencyKey: 'r3', captureId: cap.captureId, amount: 1 })).rejects.toBeInstanceOf(PaymentRejectedError);
  const ledger = (await (await fetch(`${payments.url}/__ledger?reference=o1`)).json()) as { refunds: Array<{ amount: number }> };
  expect(ledger.refunds.map((r) => r.amount)).toEqual([400, 600]);
});
