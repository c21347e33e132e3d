/**
 * Issue 16 counts the SQL statements an order costs; the email outbox added some. This counts the
 * ones a confirmation email costs — what queuing it adds to the confirm transaction, and every
 * statement of its first attempt (claim, read, record) — by counting the queries the pg clients
 * of this process send (BEGIN and COMMIT included). Also checks the email went once.
 */
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createOrderEmailOutbox } from '../../activities/orders/email-outbox';
import { recordStatusChange } from '../../db/queries/orders';
import type { Mailer } from '../../integrations/mail/types';
import { createLogger } from '../../observability/logger';
import { testConfig } from '../support/config';
import { newOrder } from '../support/email-orders';
import { countStatements, type StatementCounter } from '../support/statements';

let deps: ActivityDeps;
const sent: string[] = [];
const logger = createLogger({ level: 'silent', name: 't' });
let statements: StatementCounter;

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
  statements = countStatements();
});
afterAll(async () => {
  statements.restore();
  await closeActivityDeps(deps);
});

test('a confirmation email costs at most 3 statements: queue (in the confirm transaction), claim-and-read, record', async () => {
  const [plain, withEmail] = [await newOrder(deps.db), await newOrder(deps.db)];
  const confirm = (orderId: string, email: boolean) =>
    recordStatusChange(deps.db, {
      orderId,
      eventKey: 'confirmed',
      status: 'confirmed',
      ...(email ? { email: { kind: 'confirmed' as const } } : {}),
    });
  const without = await statements.during(() => confirm(plain, false));
  const queued = await statements.during(() => confirm(withEmail, true));
  const outbox = createOrderEmailOutbox({ ...deps, logger });
  const attempt = await statements.during(async () => {
    outbox.sendSoon(withEmail, 'confirmed');
    await outbox.idle();
  });
  const total = queued.length - without.length + attempt.length;
  process.stdout.write(
    `confirmation email statements: queue +${queued.length - without.length}, first attempt ${attempt.length} = ${total}\n${attempt.join('\n')}\n`,
  );
  expect(sent).toEqual([`<${withEmail}.confirmed@orders.cathay.shop>`]);
  expect(total).toBeLessThanOrEqual(3);
});
