/** Pure pieces of shipping and the carrier adapter against the sandbox (no Temporal). */
import { loadConfig } from '../../config';
import { planParcels, weightFromAttributes } from '../../domain/shipping/parcels';
import { normalizeRatesRequest, quoteCoversOrder, ratesRequestHash } from '../../domain/shipping/rates-request';
import { isTrackingAdvance } from '../../domain/shipping/tracking';
import {
  CarrierError,
  DirectCarrier,
  signBody,
  signWebhook,
  verifyWebhookSignature,
  WebhookSignatureError,
} from '../../integrations/carriers';
import { createCarriers, parseCarrierNames } from '../../integrations/carriers/registry';
import { carrierWebhookUrl } from '../../integrations/sandbox/carrier-server';
import { ADDRESS, control, type Sandbox, startSandbox, WEBHOOK_SECRET } from '../support/shipping';

test('parcels: split by the 30 kg limit, independent of line order; missing weights use the default', () => {
  const lines = [
    { sku: 'a', quantity: 3, weightGrams: 12_000 },
    { sku: 'b', quantity: 2, weightGrams: 5_000 },
  ];
  const parcels = planParcels(lines);
  expect(parcels.map((p) => p.weightGrams).sort()).toEqual([17_000, 29_000]);
  expect(planParcels([...lines].reverse())).toEqual(parcels);
  expect(planParcels([{ sku: 'x', quantity: 1, weightGrams: 45_000 }])).toEqual([{ weightGrams: 45_000 }]);
  expect(weightFromAttributes({ weightGrams: 250.2 })).toBe(251);
  expect(weightFromAttributes({ weightGrams: '300' })).toBe(300);
  expect(weightFromAttributes({ weightGrams: -1 })).toBe(500);
  expect(weightFromAttributes({})).toBe(500);
});

test('rates requests that mean the same shipment share a hash', () => {
  const a = normalizeRatesRequest({
    destination: { country: 'us', postalCode: '10001-1234', city: ' New  York ' },
    items: [
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ],
  });
  const b = normalizeRatesRequest({
    destination: { country: 'US', postalCode: '100011234', city: 'new york' },
    items: [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 2 },
    ],
  });
  expect(a).toEqual(b);
  expect(ratesRequestHash(a)).toBe(ratesRequestHash(b));
  const c = normalizeRatesRequest({
    destination: { country: 'US', postalCode: '100011234' },
    items: [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 2 },
    ],
  });
  expect(ratesRequestHash(c)).not.toBe(ratesRequestHash(a));
});

test('tracking only moves forward and stops at delivered/returned', () => {
  expect(isTrackingAdvance(undefined, 'label_created')).toBe(true);
  expect(isTrackingAdvance('label_created', 'out_for_delivery')).toBe(true);
  expect(isTrackingAdvance('in_transit', 'in_transit')).toBe(false);
  expect(isTrackingAdvance('out_for_delivery', 'in_transit')).toBe(false);
  expect(isTrackingAdvance('delivered', 'returned')).toBe(false);
  expect(isTrackingAdvance('in_transit', 'returned')).toBe(true);
});

test('signatures v1.1: t=<unix s>,v1=<64 hex> over "{t}.{raw body}", anything else is rejected', () => {
  const body = Buffer.from('{"a":1}');
  const now = Date.parse('2026-06-01T12:00:00Z');
  const t = Math.floor(now / 1000);
  const header = signWebhook(body, 'secret-123', t);
  const v1 = signBody(`${t}.{"a":1}`, 'secret-123');
  expect(header).toBe(`t=${t},v1=${v1}`);
  const ok = (h: string | undefined, b = body, secret = 'secret-123', at = now) => verifyWebhookSignature(b, secret, h, at);
  expect(ok(header)).toBe(true);
  expect(ok(`t=${t},v1=${v1.toUpperCase()}`)).toBe(true);
  // The v1.0 bug: Buffer.from(hex) drops an odd trailing character, so `<sig>0` was accepted.
  expect(ok(`${header}0`)).toBe(false);
  expect(ok(`${header}a`)).toBe(false);
  expect(ok(`t=${t},v1=${v1.slice(0, 63)}`)).toBe(false);
  expect(ok(`t=${t},v1=${v1.slice(0, 62)}zz`)).toBe(false);
  expect(ok(v1)).toBe(false); // the v1.0 bare hex
  expect(ok(`v1=${v1},t=${t}`)).toBe(false);
  expect(ok(`t=${t},v1=${v1},v1=${v1}`)).toBe(false);
  expect(ok(undefined)).toBe(false);
  expect(ok(header, Buffer.from('{"a":2}'))).toBe(false);
  expect(ok(header, body, 'secret-124')).toBe(false);
  // The timestamp is signed: moving it breaks the MAC; an old or future one is refused.
  expect(ok(`t=${t + 1},v1=${v1}`)).toBe(false);
  expect(ok(header, body, 'secret-123', now + 300_000)).toBe(true);
  expect(ok(header, body, 'secret-123', now + 301_000)).toBe(false);
  expect(ok(header, body, 'secret-123', now - 301_000)).toBe(false);
});

test('carriers come from CARRIERS_ENABLED', () => {
  expect(parseCarrierNames(' SwiftShip, parcelpro,swiftship ,')).toEqual(['swiftship', 'parcelpro']);
  expect(() => parseCarrierNames('ok,bad name')).toThrow(/invalid carrier name/);
  const reg = createCarriers({
    CARRIER_URL: 'http://127.0.0.1:1',
    CARRIERS_ENABLED: 'parcelpro',
    CARRIER_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CARRIER_TIMEOUT_MS: 100,
  });
  expect(reg.names()).toEqual(['parcelpro']);
  expect(() => reg.require('swiftship')).toThrow(/not enabled/);
});

test('each carrier verifies with its own CARRIER_WEBHOOK_SECRETS entry; unlisted ones use the dev fallback', () => {
  const config = loadConfig({
    CARRIERS_ENABLED: 'swiftship,parcelpro,acme',
    CARRIER_WEBHOOK_SECRETS: 'swiftship:swift-secret-0123456789abcdef, parcelpro:parcel:secret-with-colon',
  });
  expect(config.CARRIER_WEBHOOK_SECRETS).toEqual({ swiftship: 'swift-secret-0123456789abcdef', parcelpro: 'parcel:secret-with-colon' });
  const reg = createCarriers(config);
  const event = (carrier: string) =>
    Buffer.from(JSON.stringify({ id: 'e1', carrier, trackingNumber: 'T1', status: 'in_transit', at: '2026-01-01T00:00:00Z' }));
  const parse = (carrier: string, secret: string) =>
    reg.require(carrier).parseWebhook(event(carrier), { 'x-carrier-signature': signWebhook(event(carrier), secret) });
  expect(parse('swiftship', 'swift-secret-0123456789abcdef')).toMatchObject({ eventId: 'e1' });
  expect(parse('parcelpro', 'parcel:secret-with-colon')).toMatchObject({ eventId: 'e1' });
  expect(parse('acme', WEBHOOK_SECRET)).toMatchObject({ eventId: 'e1' });
  // One carrier's secret does not open another's endpoint.
  expect(() => parse('parcelpro', 'swift-secret-0123456789abcdef')).toThrow(WebhookSignatureError);
  expect(() => parse('swiftship', WEBHOOK_SECRET)).toThrow(WebhookSignatureError);
  expect(() => loadConfig({ CARRIER_WEBHOOK_SECRETS: 'swiftship' })).toThrow(/CARRIER_WEBHOOK_SECRETS/);
});

describe('direct carrier adapter against the sandbox', () => {
  let sandbox: Sandbox;
  let swift: DirectCarrier;
  beforeAll(async () => {
    sandbox = await startSandbox(null);
    swift = new DirectCarrier({ name: 'swiftship', baseUrl: sandbox.url, webhookSecret: WEBHOOK_SECRET, timeoutMs: 300 });
  });
  afterAll(() => sandbox.close());
  afterEach(() => control(sandbox, '/__faults', { reset: true }));

  test('rates are deterministic; booking is idempotent by key; tracking follows __advance', async () => {
    const req = { destination: { country: 'US', postalCode: '94105' }, parcels: [{ weightGrams: 2500 }] };
    const r1 = await swift.rates(req);
    expect(await swift.rates(req)).toEqual(r1);
    expect(r1.map((r) => r.service)).toEqual(['ground', 'express', 'overnight']);
    const ground = r1[0]?.amount.amount as number;
    const far = await swift.rates({ ...req, destination: { country: 'DE', postalCode: '10115' } });
    expect(far[0]?.amount.amount).toBeGreaterThan(ground);
    const heavier = await swift.rates({ ...req, parcels: [{ weightGrams: 9000 }] });
    expect(heavier[0]?.amount.amount).toBeGreaterThan(ground);

    const booking = {
      service: 'express',
      address: ADDRESS,
      parcels: [{ weightGrams: 2500 }],
      reference: 'o-1',
      idempotencyKey: 'k-units-1',
    };
    const a = await swift.bookShipment(booking);
    const b = await swift.bookShipment(booking);
    expect(b).toEqual(a);
    expect(a.status).toBe('label_created');
    expect((await swift.bookShipment({ ...booking, idempotencyKey: 'k-units-2' })).trackingNumber).not.toBe(a.trackingNumber);
    expect(sandbox.stats().swiftship?.labels).toBe(2);

    await control(sandbox, '/__advance', { trackingNumber: a.trackingNumber });
    const t = await swift.getTracking(a.trackingNumber);
    expect(t.status).toBe('in_transit');
    expect(t.events.map((e) => e.status)).toEqual(['label_created', 'in_transit']);
  });

  test('faults: hang → timeout (retryable), down → unavailable (retryable), per carrier or all', async () => {
    await control(sandbox, '/__faults', { carrier: 'swiftship', hang: true });
    const req = { destination: { country: 'US', postalCode: '10001' }, parcels: [{ weightGrams: 100 }] };
    const hung = await swift.rates(req).catch((e) => e);
    expect(hung).toBeInstanceOf(CarrierError);
    expect(hung).toMatchObject({ reason: 'timeout', retryable: true });
    const pp = new DirectCarrier({ name: 'parcelpro', baseUrl: sandbox.url, webhookSecret: WEBHOOK_SECRET, timeoutMs: 300 });
    expect(await pp.rates(req)).toHaveLength(3);
    await control(sandbox, '/__faults', { down: true });
    await expect(pp.rates(req)).rejects.toMatchObject({ reason: 'unavailable', retryable: true, status: 503 });
    const unknown = await control(sandbox, '/__faults', { carrier: 'nope', down: true });
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${sandbox.url}/parcelpro/v1/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(503); // still down
  });

  test('webhooks from the adapter point of view: signature first, then shape', () => {
    const body = Buffer.from(
      JSON.stringify({ id: 'e1', carrier: 'swiftship', trackingNumber: 'SW1', status: 'in_transit', at: '2026-01-01T00:00:00Z' }),
    );
    expect(swift.parseWebhook(body, { 'x-carrier-signature': signWebhook(body, WEBHOOK_SECRET) })).toEqual({
      eventId: 'e1',
      trackingNumber: 'SW1',
      status: 'in_transit',
      at: '2026-01-01T00:00:00Z',
    });
    expect(() => swift.parseWebhook(body, {})).toThrow(WebhookSignatureError);
    const weird = Buffer.from('{"id":"e1","status":"teleported"}');
    expect(() => swift.parseWebhook(body, { 'x-carrier-signature': signBody(body, WEBHOOK_SECRET) })).toThrow(WebhookSignatureError);
    expect(() => swift.parseWebhook(weird, { 'x-carrier-signature': signWebhook(weird, WEBHOOK_SECRET) })).toThrow(/not a tracking event/);
  });
});

test('the carrier sandbox sends webhooks to SANDBOX_CARRIER_WEBHOOK_URL, else PUBLIC_URL, else the local API', () => {
  const base = { HOST: '127.0.0.1', PORT: 3000, PUBLIC_URL: undefined, SANDBOX_CARRIER_WEBHOOK_URL: undefined };
  expect(carrierWebhookUrl(base)).toBe('http://127.0.0.1:3000/v1/webhooks/carriers/{carrier}');
  expect(carrierWebhookUrl({ ...base, HOST: '0.0.0.0', PUBLIC_URL: 'http://api:3000/' })).toBe(
    'http://api:3000/v1/webhooks/carriers/{carrier}',
  );
  expect(carrierWebhookUrl({ ...base, SANDBOX_CARRIER_WEBHOOK_URL: 'http://x/{carrier}' })).toBe('http://x/{carrier}');
  expect(carrierWebhookUrl({ ...base, SANDBOX_CARRIER_WEBHOOK_URL: 'off' })).toBeNull();
});

test('a quote covers an order only for the same country, postal code and items', () => {
  const quoted = normalizeRatesRequest({
    destination: { country: 'US', postalCode: '10001' },
    items: [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ],
  });
  const order = {
    destination: { country: 'us', postalCode: '10001' },
    items: [
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 1 },
      { sku: 'A', quantity: 1 },
    ],
  };
  expect(quoteCoversOrder(quoted, order)).toBe(true);
  expect(quoteCoversOrder(quoted, { ...order, destination: { country: 'US', postalCode: '10002' } })).toBe(false);
  expect(quoteCoversOrder(quoted, { ...order, items: [{ sku: 'A', quantity: 2 }] })).toBe(false);
});
