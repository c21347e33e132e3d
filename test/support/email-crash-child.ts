/**
 * A worker-like process for test/orders/email-outbox.test.ts: records `confirmed` with its email
 * (the activity, as the order workflow calls it), whose first attempt then hangs on an SMTP server
 * that never greets — until the test kills this process. Args: orderId, SMTP port.
 */
import { createActivities } from '../../activities';
import { createActivityDeps } from '../../activities/deps';
import { loadConfig } from '../../config';
import { createLogger } from '../../observability/logger';

async function main() {
  const [orderId, smtpPort] = process.argv.slice(2);
  if (!orderId || !smtpPort) throw new Error('usage: email-crash-child <orderId> <smtpPort>');
  const deps = createActivityDeps(loadConfig({ ...process.env, SMTP_PORT: smtpPort }), createLogger({ level: 'silent', name: 'child' }));
  await createActivities(deps).recordOrderStatus({ orderId, eventKey: 'confirmed', status: 'confirmed', email: { kind: 'confirmed' } });
  process.stdout.write('committed\n');
  setInterval(() => undefined, 1_000); // the email is in flight; wait to be killed
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
