/**
 * Issue 16: an order's path is mostly round trips. This counts the SQL statements one order costs
 * from `POST /v1/orders` to its confirmation email recorded — the API's lookups and answer, the
 * workflow's activities, the email's attempt — by counting the queries the pg clients of this
 * process send (test/support/statements.ts; the test stack runs API and workers here). 28 before the
 * one-statement writes and reads and the email's claim/record, 9 after; the bound (one spare for
 * a periodic query landing in the window) fails if a change adds round trips back.
 */
import { createProduct } from '../support/fixtures';
import { type OrderStack, orderBody, placeOrder, startOrderStack } from '../support/orders';
import { countStatements, type StatementCounter } from '../support/statements';

let stack: OrderStack;
let statements: StatementCounter;

beforeAll(async () => {
  statements = countStatements();
  stack = await startOrderStack();
}, 120_000);
afterAll(async () => {
  statements.restore();
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

  const sent = await statements.during(async () => {
    const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    expect(placed.status).toBe(201);
    await emailRecorded(placed.body.id);
  });
  process.stdout.write(`order statements: ${sent.length}\n${sent.join('\n')}\n`);
  expect(sent.length).toBeLessThanOrEqual(10);
}, 60_000);
