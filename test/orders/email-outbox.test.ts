/**
 * The order email outbox (activities/orders/email-outbox.ts) against Postgres and the real mail
 * sink: an email queued with a status change is sent once right after the commit; one left behind
 * (the process died between the commit and the send, or SMTP was down) is sent by the sweeper,
 * once, however many sweepers run.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createOrderEmailOutbox } from '../../activities/orders/email-outbox';
import { recordStatusChange } from '../../db/queries/orders';
import { type MailSink, startMailSink } from '../../integrations/mail/sink';
import { createLogger } from '../../observability/logger';
import { freePort } from '../../stack/processes';
import { testConfig, uniqueId } from '../support/config';
import { newOrder } from '../support/email-orders';

let mail: MailSink;
let deps: ActivityDeps;
const logger = createLogger({ level: 'silent', name: 't' });

beforeAll(async () => {
  const [smtpPort, httpPort] = await Promise.all([freePort(), freePort()]);
  mail = await startMailSink({ smtpPort, httpPort });
  deps = createActivityDeps(testConfig({ SMTP_PORT: String(mail.smtpPort) }), logger);
});
afterAll(async () => {
  await closeActivityDeps(deps);
  await mail?.close();
});

const mailsFor = (orderId: string) => mail.messages().filter((m) => m.headers['x-cathay-order'] === orderId);
const queued = (orderId: string) => deps.db.selectFrom('order_email_outbox').selectAll().where('order_id', '=', orderId).execute();
const notified = (orderId: string) =>
  deps.db.selectFrom('order_notifications').select(['kind', 'ambiguous_resends']).where('order_id', '=', orderId).execute();
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a status change with an email: queued in its transaction, sent once right after, a retried step sends nothing more', async () => {
  const orderId = await newOrder(deps.db);
  const activities = createActivities(deps);
  const env = new MockActivityEnvironment();
  const change = { orderId, eventKey: 'confirmed', status: 'confirmed' as const, email: { kind: 'confirmed' as const } };
  await env.run(() => activities.recordOrderStatus(change));
  await eventually(() => mailsFor(orderId).length === 1);
  await eventually(async () => (await queued(orderId)).length === 0);
  // The local activity retried after its commit (the worker lost the result): nothing new.
  await env.run(() => activities.recordOrderStatus(change));
  await new Promise((r) => setTimeout(r, 300));
  expect(mailsFor(orderId)).toHaveLength(1);
  expect(mailsFor(orderId)[0]?.subject).toBe(`Order ${orderId} confirmed`);
  expect(await queued(orderId)).toEqual([]);
});

test('the process died between the commit and the send: the sweeper sends it once, with three sweepers at once', async () => {
  const orderId = await newOrder(deps.db);
  // The commit alone (no first attempt follows: the process is gone).
  await recordStatusChange(deps.db, { orderId, eventKey: 'confirmed', status: 'confirmed', email: { kind: 'confirmed' } });
  expect(await queued(orderId)).toHaveLength(1);
  const sweepers = [1, 2, 3].map(() => createOrderEmailOutbox(deps));
  // Before the first attempt's lease ends, a sweeper leaves the row alone.
  await Promise.all(sweepers.map((s) => s.sendDue()));
  expect(mailsFor(orderId)).toHaveLength(0);
  await sql`UPDATE order_email_outbox SET next_attempt_at = now() WHERE order_id = ${orderId}`.execute(deps.db);
  await Promise.all(sweepers.map((s) => s.sendDue()));
  expect(mailsFor(orderId)).toHaveLength(1);
  expect(await queued(orderId)).toEqual([]);
  const sent = await deps.db.selectFrom('order_notifications').selectAll().where('order_id', '=', orderId).execute();
  expect(sent.map((n) => n.kind)).toEqual(['confirmed']);
});

test('SMTP down at the first attempt: the row stays with a backoff and the error, and is sent when it is back', async () => {
  const orderId = await newOrder(deps.db);
  const deadPort = await freePort();
  const downDeps = createActivityDeps(testConfig({ SMTP_PORT: String(deadPort) }), logger);
  try {
    await recordStatusChange(downDeps.db, { orderId, eventKey: 'confirmed', status: 'confirmed', email: { kind: 'confirmed' } });
    const down = createOrderEmailOutbox(downDeps);
    down.sendSoon(orderId, 'confirmed');
    await down.idle();
    const [row] = await queued(orderId);
    // The relay refused the connection: surely not sent, so the retry is no ambiguous re-send.
    expect(row).toMatchObject({ attempts: 1, sending_since: null });
    expect(row?.last_error).toBeTruthy();
    expect(new Date(row?.next_attempt_at as Date).getTime()).toBeGreaterThan(Date.now());
    expect(mailsFor(orderId)).toHaveLength(0);
  } finally {
    await closeActivityDeps(downDeps);
  }
  await sql`UPDATE order_email_outbox SET next_attempt_at = now() WHERE order_id = ${orderId}`.execute(deps.db);
  await createOrderEmailOutbox(deps).sendDue();
  expect(mailsFor(orderId)).toHaveLength(1);
  expect(await queued(orderId)).toEqual([]);
  expect(await notified(orderId)).toEqual([{ kind: 'confirmed', ambiguous_resends: 0 }]);
});

test('a worker killed (SIGKILL) while its first attempt is in flight: the email is sent once by a sweeper after the lease', async () => {
  const orderId = await newOrder(deps.db);
  // An SMTP server that accepts and never greets: the first attempt hangs until the kill.
  const silent = net.createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as net.AddressInfo).port;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../support/email-crash-child.ts'), orderId, String(port)],
    {
      cwd: path.join(__dirname, '../..'),
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((r) => child.once('exit', r));
  try {
    // Committed, and the first attempt has claimed the row (its SMTP connection is open).
    await eventually(async () => (await queued(orderId))[0]?.attempts === 1, 90_000);
    child.kill('SIGKILL');
    await exited;
    const [row] = await queued(orderId);
    expect(row).toBeDefined();
    expect(mailsFor(orderId)).toHaveLength(0);
    const sweeper = createOrderEmailOutbox(deps);
    // Within the dead worker's lease nothing is taken; once it ends, the sweeper sends it. Judged
    // on this order's row and mail, not on how many rows the sweep took: the test database is
    // shared, and another file's due email may be swept in the same call.
    await sweeper.sendDue();
    expect(mailsFor(orderId)).toHaveLength(0);
    expect((await queued(orderId))[0]?.attempts).toBe(1);
    await sql`UPDATE order_email_outbox SET next_attempt_at = now() WHERE order_id = ${orderId}`.execute(deps.db);
    await sweeper.sendDue();
    expect(mailsFor(orderId)).toHaveLength(1);
    expect(await queued(orderId)).toEqual([]);
    // The dead sender's attempt had started (its claim set `sending_since`): the sweeper's send
    // is recorded as a re-send after an ambiguous attempt — one possible extra copy, same Message-ID.
    expect(await notified(orderId)).toEqual([{ kind: 'confirmed', ambiguous_resends: 1 }]);
    const status = await deps.db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst();
    expect(status?.status).toBe('confirmed');
  } finally {
    child.kill('SIGKILL');
    silent.close();
  }
}, 120_000);
