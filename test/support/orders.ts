/**
 * The whole order path for end-to-end tests: a payment sandbox and a mail sink on free ports,
 * real workers and a real API on this file's own task queues (so test files running in parallel
 * never execute each other's workflows), and helpers to place orders and follow them.
 */

import { planParcels } from '../../domain/shipping/parcels';
import { type MailSink, startMailSink } from '../../integrations/mail/sink';
import { type PaymentSandbox, startPaymentSandbox } from '../../integrations/payments/sandbox';
import { SANDBOX_CARRIERS, sandboxRates } from '../../integrations/sandbox/carrier-pricing';
import { type CarrierSandbox, startCarrierSandbox } from '../../integrations/sandbox/carrier-server';
import { freePort } from '../../stack/processes';
import { authHeader, startTestApi, storefrontAs, type TestApi } from './app';
import { uniqueId } from './config';
import { getJson, type Json } from './http';
import { startTestWorkers, type TestWorkers } from './temporal';

export interface OrderStack {
  api: TestApi;
  workers: TestWorkers;
  payments: PaymentSandbox;
  mail: MailSink;
  carriers: CarrierSandbox;
  /** The configuration overrides the API and workers run with (for starting another API on the same queues). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startOrderStack(overrides: Record<string, string> = {}): Promise<OrderStack> {
  const [payments, mail, carriers] = await Promise.all([
    startPaymentSandbox({ port: 0 }),
    Promise.all([freePort(), freePort()]).then(([smtpPort, httpPort]) => startMailSink({ smtpPort, httpPort })),
    freePort().then((port) => startCarrierSandbox({ port, webhookUrl: null, secret: 'dev-webhook-secret' })),
  ]);
  const env = {
    TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX ?? ''}${uniqueId('q').toLowerCase()}-`,
    PAYMENT_URL: payments.url,
    CARRIER_URL: carriers.url,
    CARRIER_WEBHOOK_SECRET: 'dev-webhook-secret',
    SMTP_PORT: String(mail.smtpPort),
    ORDER_STEP_MAX_ATTEMPTS: '3',
    ORDER_STEP_RETRY_INITIAL_MS: '100',
    ORDER_STEP_RETRY_MAX_MS: '200',
    PAYMENT_TIMEOUT_MS: '2000',
    SSE_HEARTBEAT_MS: '1000',
    ...overrides,
  };
  const [workers, api] = await Promise.all([startTestWorkers({ queues: ['orders', 'shipping'], overrides: env }), startTestApi(env)]);
  // The carrier sandbox delivers its tracking webhooks to this API.
  await fetch(`${carriers.url}/__webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${api.url}/v1/webhooks/carriers/{carrier}` }),
  });
  return {
    api,
    workers,
    payments,
    mail,
    carriers,
    env,
    async close() {
      await api.close();
      await workers.close();
      await Promise.all([payments.close(), mail.close(), carriers.close()]);
    },
  };
}

export function orderBody(skus: Array<{ sku: string; quantity: number }>, overrides: Record<string, unknown> = {}): Json {
  return {
    customerId: uniqueId('cust-'),
    email: 'ada@example.com',
    items: skus,
    shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    shipping: { carrier: 'parcelpro', service: 'standard' },
    payment: { token: 'tok_visa' },
    ...overrides,
  };
}

/** POST /v1/orders as the storefront, for the body's customer (their token; `customerId` to act as another). */
export async function placeOrder(api: TestApi, body: Json, key = uniqueId('key-'), customerId: string = body.customerId) {
  return getJson(`${api.url}/v1/orders`, {
    method: 'POST',
    headers: { ...(await storefrontAs(customerId)), 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

export async function getOrder(api: TestApi, id: string) {
  return getJson(`${api.url}/v1/orders/${id}`, { headers: authHeader('support') });
}

/** What the sandbox carrier charges for `service` to the default test address, for lines of `weightGrams` each. */
export function expectedShipping(carrier: string, service: string, lines: Array<{ quantity: number; weightGrams: number }>): number {
  const def = SANDBOX_CARRIERS[carrier];
  if (!def) throw new Error(`no sandbox carrier ${carrier}`);
  const parcels = planParcels(lines.map((l, i) => ({ sku: `s${i}`, quantity: l.quantity, weightGrams: l.weightGrams })));
  const rate = sandboxRates(def, { country: 'GB', postalCode: 'SW1Y 4JH' }, parcels).find((r) => r.service === service);
  if (!rate) throw new Error(`${carrier} has no ${service} to GB`);
  return rate.amount.amount;
}

export async function shipOrder(api: TestApi, id: string, body: Json = {}) {
  return getJson(`${api.url}/v1/ops/orders/${id}/ship`, {
    method: 'POST',
    headers: { ...authHeader('ops'), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export async function setStatus(api: TestApi, id: string, body: Json) {
  return getJson(`${api.url}/v1/ops/orders/${id}/status`, {
    method: 'POST',
    headers: { ...authHeader('ops'), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * The customer an order belongs to (read with the support key), e.g. to act as them. Waits a
 * little for the record: after a 202 the workflow may not have written it yet.
 */
export async function customerOf(api: TestApi, id: string, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await getOrder(api, id);
    if (r.status === 200) return r.body.customerId;
    if (Date.now() > deadline) return 'NO-SUCH-ORDER';
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** POST /v1/orders/{id}/cancel as the storefront, for the order's own customer (or `customerId`). */
export async function cancelOrder(api: TestApi, id: string, body: Json = {}, customerId?: string) {
  return getJson(`${api.url}/v1/orders/${id}/cancel`, {
    method: 'POST',
    headers: { ...(await storefrontAs(customerId ?? (await customerOf(api, id)))), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Polls GET /v1/orders/{id} until `predicate` holds (the workflow runs asynchronously after 202s). */
export async function waitForOrder(api: TestApi, id: string, predicate: (o: Json) => boolean, timeoutMs = 20_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  let last: Json;
  while (Date.now() < deadline) {
    const r = await getOrder(api, id);
    last = r.body;
    if (r.status === 200 && predicate(r.body)) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`order ${id} did not reach the expected state; last seen: ${JSON.stringify(last)}`);
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((res) => setTimeout(res, 100));
  }
}
