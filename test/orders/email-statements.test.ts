/**
 * Issue 16 counts the SQL statements an order costs; the email outbox added some. This counts the
 * ones a confirmation email costs — what queuing it adds to the confirm transaction, and every
 * statement of its first attempt (claim, read, record) — by counting the queries the pg clients
 * of this process send (BEGIN and COMMIT included). Also checks the email went once.
 */
import pg from 'pg';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createOrderEmailOutbox } from '../../activities/orders/email-outbox';
import { recordStatusChange } from '../../db/queries/orders';
import type { Mailer } from '../../integrations/mail/types';
import { createLogger } from '../../observability/logger';
import { testConfig } from '../support/config';
import { newOrder } from '../support/email-orders';

let deps: ActivityDeps;
const sent: string[] = [];
const logger = createLogger({ level: 'silent', name: 't' });
let statements: string[] = [];
const originalQuery = pg.Client.prototype.query;

beforeAll(() => {
  const base = createActivityDeps(testConfig(), logger);
  base.mailer.close();
  const sink: Mailer = {
    async send(m) {
      sent.push(m.messageId);
      return { messageId: m.messageId };
    },
    close() {},
  };
  deps = { ...base, mailer: sink };
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only counts and forwards
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    if (text) statements.push(text);
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return (originalQuery as any).apply(this, args);
  };
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await closeActivityDeps(deps);
});

async function counted(fn: () => Promise<unknown>): Promise<string[]> {
  statements = [];
  await fn();
  const out = statements;
  statements = [];
  return out;
}

test('a confirmation email costs at most 3 statements: queue (in the confirm transaction), claim-and-read, record', async () => {
  const [plain, withEmail] = [await newOrder(deps.db), await newOrder(deps.db)];
  const confirm = (orderId: string, email: boolean) =>
    recordStatusChange(deps.db, {
      orderId,
      eventKey: 'confirmed',
      status: 'confirmed',
      ...(email ? { email: { kind: 'confirmed' as const } } : {}),
    });
  const without = await counted(() => confirm(plain, false));
  const queued = await counted(() => confirm(withEmail, true));
  const outbox = createOrderEmailOutbox({ ...deps, logger });
  const attempt = await counted(async () => {
    outbox.sendSoon(withEmail, 'confirmed');
    await outbox.idle();
  });
  const total = queued.length - without.length + attempt.length;
  process.stdout.write(
    `confirmation email statements: queue +${queued.length - without.length}, first attempt ${attempt.length} = ${total}\n${attempt.map((s) => s.replace(/\s+/g, ' ').slice(0, 90)).join('\n')}\n`,
  );
  expect(sent).toEqual([`<${withEmail}.confirmed@orders.cathay.shop>`]);
  expect(total).toBeLessThanOrEqual(3);
});
