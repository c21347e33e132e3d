/**
 * Issue 16: an order's path is mostly round trips. This counts the SQL statements one order costs
 * from `POST /v1/orders` to its confirmation email recorded — the API's lookups and answer, the
 * workflow's activities, the email's attempt — by counting the queries the pg clients of this
 * process send (the test stack runs API and workers here; BEGIN and COMMIT count). 28 before the
 * one-statement writes and reads and the email's claim/record, 9 after; the bound (one spare for
 * a periodic query landing in the window) fails if a change adds round trips back.
 */
import pg from 'pg';
import { createProduct } from '../support/fixtures';
import { type OrderStack, orderBody, placeOrder, startOrderStack } from '../support/orders';

let stack: OrderStack;
let statements: string[] = [];
let counting = false;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only counts and forwards
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string; name?: string })?.text;
    if (counting && text) statements.push(text.replace(/\s+/g, ' ').slice(0, 100));
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return (originalQuery as any).apply(this, args);
  };
  stack = await startOrderStack();
}, 120_000);
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await stack?.close();
});

/** Waits until the confirmation email of `orderId` is recorded (the email's last statement). */
async function emailRecorded(orderId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (stack.mail.messages().some((m) => m.messageId === `<${orderId}.confirmed@orders.cathay.shop>`)) {
      await new Promise((r) => setTimeout(r, 300)); // the record follows the relay's answer
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no confirmation email for ${orderId}`);
}

test('one order, placed to its confirmation email recorded, costs at most 10 statements (28 before)', async () => {
  const p = await createProduct(stack.workers.deps.db, { stock: { 'wh-east': 50 } });
  // Warm-up: the first order pays for connections and prepared plans.
  const warm = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  await emailRecorded(warm.body.id);

  statements = [];
  counting = true;
  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  expect(placed.status).toBe(201);
  await emailRecorded(placed.body.id);
  counting = false;
  process.stdout.write(`order statements: ${statements.length}\n${statements.join('\n')}\n`);
  expect(statements.length).toBeLessThanOrEqual(10);
}, 60_000);
