/**
 * The payment sandbox and client (SANDBOX.md semantics, idempotency by key) and the order email
 * activity (a retried activity sends once) against the real mail sink and Postgres.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { insertOrder } from '../../db/queries/orders';
import { orderWorkflowId } from '../../domain/orders/identity';
import { type MailSink, startMailSink } from '../../integrations/mail/sink';
import { createPaymentsClient } from '../../integrations/payments/client';
import { type PaymentSandbox, startPaymentSandbox } from '../../integrations/payments/sandbox';
import { PaymentDeclinedError, PaymentUnavailableError } from '../../integrations/payments/types';
import { createLogger } from '../../observability/logger';
import { freePort } from '../../stack/processes';
import { testConfig, uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';

let payments: PaymentSandbox;
let mail: MailSink;
let deps: ActivityDeps;

beforeAll(async () => {
  payments = await startPaymentSandbox({ port: 0 });
  const [smtpPort, httpPort] = await Promise.all([freePort(), freePort()]);
  mail = await startMailSink({ smtpPort, httpPort });
  deps = createActivityDeps(
    testConfig({ PAYMENT_URL: payments.url, SMTP_PORT: String(mail.smtpPort) }),
    createLogger({ level: 'silent', name: 't' }),
  );
});
afterAll(async () => {
  await closeActivityDeps(deps);
  await Promise.all([payments?.close(), mail?.close()]);
});

describe('payment sandbox + client', () => {
  const client = () => createPaymentsClient({ baseUrl: payments.url, timeoutMs: 2_000 });

  test('authorize is idempotent by key: 20 concurrent calls, one authorization', async () => {
    const ref = uniqueId('o-');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client().authorize({ idempotencyKey: `${ref}:authorize`, amount: 1234, currency: 'USD', token: 'tok_visa', reference: ref }),
      ),
    );
    expect(new Set(results.map((r) => r.authorizationId)).size).toBe(1);
    const ledger = (await (await fetch(`${payments.url}/__ledger?reference=${ref}`)).json()) as { authorizations: unknown[] };
    expect(ledger.authorizations).toHaveLength(1);
  });

  test('tok_decline is a hard decline, replayed for the same key', async () => {
    const ref = uniqueId('o-');
    const call = () =>
      client().authorize({ idempotencyKey: `${ref}:authorize`, amount: 100, currency: 'USD', token: 'tok_decline', reference: ref });
    await expect(call()).rejects.toBeInstanceOf(PaymentDeclinedError);
    await expect(call()).rejects.toBeInstanceOf(PaymentDeclinedError);
    expect(payments.ledger().filter((e) => e.reference === ref)).toEqual([]);
  });

  test('tok_flaky: 503 twice for a key, then approved; faults: down and back', async () => {
    const ref = uniqueId('o-');
    const call = () =>
      client().authorize({ idempotencyKey: `${ref}:authorize`, amount: 100, currency: 'USD', token: 'tok_flaky', reference: ref });
    await expect(call()).rejects.toBeInstanceOf(PaymentUnavailableError);
    await expect(call()).rejects.toBeInstanceOf(PaymentUnavailableError);
    const auth = await call();
    expect(auth.authorizationId).toMatch(/^auth_/);

    await fetch(`${payments.url}/__faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });
    await expect(
      client().capture({ idempotencyKey: `${ref}:capture`, authorizationId: auth.authorizationId, amount: 100 }),
    ).rejects.toBeInstanceOf(PaymentUnavailableError);
    await fetch(`${payments.url}/__faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: false }),
    });
    const cap = await client().capture({ idempotencyKey: `${ref}:capture`, authorizationId: auth.authorizationId, amount: 100 });
    const again = await client().capture({ idempotencyKey: `${ref}:capture`, authorizationId: auth.authorizationId, amount: 100 });
    expect(again.captureId).toBe(cap.captureId);
    const refund = await client().refund({ idempotencyKey: `${ref}:refund`, captureId: cap.captureId, amount: 100 });
    expect(refund.refundId).toMatch(/^ref_/);
    expect(
      payments
        .ledger()
        .filter((e) => e.reference === ref)
        .map((e) => e.type),
    ).toEqual(['authorization', 'capture', 'refund']);
  });
});

test('order email: a retried activity sends once, with text and HTML', async () => {
  const p = await createProduct(deps.db, { priceAmount: 1500 });
  const orderId = uniqueId('ord_');
  await insertOrder(deps.db, {
    priced: {
      orderId,
      currency: 'USD',
      lines: [{ lineNo: 1, sku: p.sku, name: 'Teapot <b>', quantity: 2, unitPrice: 1500, lineTotal: 3000 }],
      subtotal: 3000,
      shippingAmount: 599,
      total: 3599,
      carrier: 'swiftship',
      service: 'standard',
    },
    customerId: uniqueId('c-'),
    email: 'grace@example.com',
    shippingAddress: { name: 'Grace', line1: '1 Navy Yard', city: 'Arlington', postalCode: '22202', country: 'US' },
    quoteId: null,
    idempotencyKey: 'k',
    requestHash: 'h',
    workflowId: orderWorkflowId(orderId),
  });
  const activities = createActivities(deps);
  const env = new MockActivityEnvironment();
  const first = await env.run(() => activities.sendOrderEmail({ orderId, kind: 'confirmed' }));
  const second = await env.run(() => activities.sendOrderEmail({ orderId, kind: 'confirmed' }));
  expect(first).toEqual({ sent: true });
  expect(second).toEqual({ sent: false });
  const messages = mail.messages().filter((m) => m.headers['x-cathay-order'] === orderId);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ to: ['grace@example.com'], subject: `Order ${orderId} confirmed` });
  expect(messages[0]?.text).toContain('$35.99');
  expect(messages[0]?.html).toContain('Teapot &lt;b&gt;');
});
