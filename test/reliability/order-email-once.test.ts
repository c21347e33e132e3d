/**
 * Two executions of the same email step at once (a workflow task re-run on another worker while
 * the first still sends — seen in the chaos suite) deliver one message: the second finds the
 * (order, kind) lock taken and fails retryably; its retry finds the email recorded.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { EmailInProgressError } from '../../activities/orders/notifications';
import type { Mailer } from '../../integrations/mail/types';
import { createLogger } from '../../observability/logger';
import { testConfig } from '../support/config';
import { newOrder } from '../support/email-orders';

let deps: ActivityDeps;
const sent: string[] = [];
beforeAll(() => {
  const base = createActivityDeps(testConfig(), createLogger({ level: 'silent', name: 't' }));
  base.mailer.close();
  // A relay that takes 500 ms to accept: long enough for the second execution to overlap.
  const slow: Mailer = {
    async send(m) {
      await new Promise((r) => setTimeout(r, 500));
      sent.push(m.messageId);
      return { messageId: m.messageId };
    },
    close() {},
  };
  deps = { ...base, mailer: slow };
});
afterAll(async () => closeActivityDeps(deps));

test('concurrent executions of one email step send it once', async () => {
  const orderId = await newOrder(deps.db);
  const activities = createActivities(deps);
  const run = () => new MockActivityEnvironment().run(() => activities.sendOrderEmail({ orderId, kind: 'confirmed' }));
  const results = await Promise.allSettled([run(), run(), run()]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof EmailInProgressError);
  expect(ok).toHaveLength(1);
  expect(busy).toHaveLength(2);
  // The retries (as Temporal would run them) find it sent.
  expect(await run()).toEqual({ sent: false });
  expect(sent).toEqual([`<${orderId}.confirmed@orders.cathay.shop>`]);
});
