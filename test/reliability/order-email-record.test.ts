/**
 * An order email is sent once even when Postgres goes away right after the mail relay accepted it
 * (the chaos suite's scenario 8 re-sent 4 confirmations that way): the sender keeps its claim and
 * retries the record — never the send — until Postgres is back; a second execution meanwhile
 * (another worker re-running the step) finds the claim taken and sends nothing. Only a claim whose
 * sender died (lease over, `sending_since` still set) is re-sent, once, and recorded as such.
 *
 * Postgres is cut through test/support/fault-proxy.ts (every connection reset, new ones refused);
 * messages go to the real mail sink over SMTP.
 */
import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import pino from 'pino';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { createOrderEmailOutbox } from '../../activities/orders/email-outbox';
import { EmailInProgressError } from '../../activities/orders/notifications';
import { recordStatusChange } from '../../db/queries/orders';
import { type MailSink, startMailSink } from '../../integrations/mail/sink';
import type { Mailer } from '../../integrations/mail/types';
import { createLogger } from '../../observability/logger';
import { freePort } from '../../stack/processes';
import { testConfig } from '../support/config';
import { newOrder } from '../support/email-orders';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy';

const CUT_MS = 3_000;
let mail: MailSink;
let proxy: FaultProxy;
/** Straight to Postgres: the test's own reads and writes, and the "other worker". */
let direct: ActivityDeps;
/** Through the proxy, with a mailer that cuts Postgres the moment the relay has accepted a message. */
let cutting: ActivityDeps;
let cutDone: Promise<void> = Promise.resolve();
let onCut: () => void = () => {};
const logger = createLogger({ level: 'silent', name: 't' });

beforeAll(async () => {
  const [smtpPort, httpPort] = await Promise.all([freePort(), freePort()]);
  mail = await startMailSink({ smtpPort, httpPort });
  const config = testConfig({ SMTP_PORT: String(mail.smtpPort) });
  const pg = new URL(config.DATABASE_URL);
  proxy = await startFaultProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  direct = createActivityDeps(config, logger);
  const base = createActivityDeps(testConfig({ SMTP_PORT: String(mail.smtpPort), DATABASE_URL: proxy.url(config.DATABASE_URL) }), logger);
  const cutAfterAccept: Mailer = {
    async send(m) {
      const out = await base.mailer.send(m);
      proxy.cut();
      cutDone = new Promise((r) => setTimeout(r, CUT_MS)).then(() => proxy.restore());
      onCut();
      return out;
    },
    close: () => base.mailer.close(),
  };
  cutting = { ...base, mailer: cutAfterAccept };
});
afterAll(async () => {
  await cutDone;
  await closeActivityDeps(cutting);
  await closeActivityDeps(direct);
  await proxy.close();
  await mail.close();
});

const mailsFor = (orderId: string) => mail.messages().filter((m) => m.headers['x-cathay-order'] === orderId);
const notification = (orderId: string) =>
  direct.db.selectFrom('order_notifications').selectAll().where('order_id', '=', orderId).executeTakeFirst();
const queued = (orderId: string) => direct.db.selectFrom('order_email_outbox').selectAll().where('order_id', '=', orderId).execute();

test('Postgres cut after the relay accepted a queued confirmation: one message, recorded once Postgres is back, nothing left to resend', async () => {
  const orderId = await newOrder(direct.db);
  await recordStatusChange(direct.db, { orderId, eventKey: 'confirmed', status: 'confirmed', email: { kind: 'confirmed' } });
  const outbox = createOrderEmailOutbox(cutting);
  outbox.sendSoon(orderId, 'confirmed');
  await outbox.idle();
  await cutDone;
  expect(mailsFor(orderId)).toHaveLength(1);
  expect(await notification(orderId)).toMatchObject({ kind: 'confirmed', ambiguous_resends: 0 });
  expect(await queued(orderId)).toEqual([]);
  // What a sweeper would do next (its lease forced over): there is nothing left to send.
  await sql`UPDATE order_email_outbox SET next_attempt_at = now() WHERE order_id = ${orderId}`.execute(direct.db);
  await createOrderEmailOutbox(direct).sendDue();
  expect(mailsFor(orderId)).toHaveLength(1);
}, 30_000);

test('the local activity: while its sender waits for Postgres to record, a second execution on another worker sends nothing', async () => {
  const orderId = await newOrder(direct.db);
  const cutHappened = new Promise<void>((r) => {
    onCut = r;
  });
  const first = new MockActivityEnvironment().run(() => createActivities(cutting).sendOrderEmail({ orderId, kind: 'shipped' }));
  await cutHappened;
  onCut = () => {};
  // Another worker replays the step while the first is retrying its record.
  const second = () => new MockActivityEnvironment().run(() => createActivities(direct).sendOrderEmail({ orderId, kind: 'shipped' }));
  await expect(second()).rejects.toBeInstanceOf(EmailInProgressError);
  expect(await first).toEqual({ sent: true });
  // Its retry (as Temporal would run it) finds the email recorded.
  expect(await second()).toEqual({ sent: false });
  expect(mailsFor(orderId)).toHaveLength(1);
  expect(await notification(orderId)).toMatchObject({ kind: 'shipped', ambiguous_resends: 0 });
  expect(await queued(orderId)).toEqual([]);
}, 30_000);

describe('a claim whose sender died mid-send (lease over, no record) is re-sent once, marked as such', () => {
  /** A row as a SIGKILLed sender leaves it: claimed 95 s ago, attempt started, lease just ended. */
  const deadSender = (orderId: string, kind: string) =>
    sql`INSERT INTO order_email_outbox (order_id, kind, attempts, next_attempt_at, sending_since, created_at)
        VALUES (${orderId}, ${kind}, 1, now() - interval '1 second', now() - interval '95 seconds', now() - interval '95 seconds')`.execute(
      direct.db,
    );
  const warnings: Array<{ msg: string; orderId?: string }> = [];
  const capturing = () =>
    pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _enc, done) {
          warnings.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );

  test('by the sweeper', async () => {
    const orderId = await newOrder(direct.db);
    await deadSender(orderId, 'confirmed');
    const sweeper = createOrderEmailOutbox({ ...direct, logger: capturing() });
    expect(await sweeper.sendDue()).toBeGreaterThanOrEqual(1);
    expect(mailsFor(orderId)).toHaveLength(1);
    expect(await notification(orderId)).toMatchObject({ kind: 'confirmed', ambiguous_resends: 1 });
    expect(await queued(orderId)).toEqual([]);
    expect(warnings.filter((w) => w.orderId === orderId).map((w) => w.msg)).toEqual([
      expect.stringContaining('re-sent after an ambiguous attempt'),
    ]);
    // Once: the next sweep has nothing.
    await createOrderEmailOutbox(direct).sendDue();
    expect(mailsFor(orderId)).toHaveLength(1);
  });

  test('by the retried local activity', async () => {
    const orderId = await newOrder(direct.db);
    await deadSender(orderId, 'shipped');
    const activities = createActivities({ ...direct, logger: capturing() });
    const run = () => new MockActivityEnvironment().run(() => activities.sendOrderEmail({ orderId, kind: 'shipped' }));
    expect(await run()).toEqual({ sent: true });
    expect(await run()).toEqual({ sent: false });
    expect(mailsFor(orderId)).toHaveLength(1);
    expect(await notification(orderId)).toMatchObject({ kind: 'shipped', ambiguous_resends: 1 });
    expect(warnings.filter((w) => w.orderId === orderId)).toHaveLength(1);
  });

  test('a claim still within its lease is left alone', async () => {
    const orderId = await newOrder(direct.db);
    await sql`INSERT INTO order_email_outbox (order_id, kind, attempts, next_attempt_at, sending_since)
              VALUES (${orderId}, 'shipped', 1, now() + interval '60 seconds', now())`.execute(direct.db);
    await createOrderEmailOutbox(direct).sendDue();
    await expect(
      new MockActivityEnvironment().run(() => createActivities(direct).sendOrderEmail({ orderId, kind: 'shipped' })),
    ).rejects.toBeInstanceOf(EmailInProgressError);
    expect(mailsFor(orderId)).toHaveLength(0);
  });
});

describe('return and refund emails take the same claim and record', () => {
  const goodwill = (orderId: string, refundId: string) => ({
    orderId,
    returnId: null,
    refundId,
    kind: 'goodwill_refunded' as const,
    amount: 1250,
    reason: 'late parcel',
  });

  test('Postgres cut after the relay accepted a refund email: a second execution meanwhile sends nothing; one message, recorded', async () => {
    const orderId = await newOrder(direct.db);
    const cutHappened = new Promise<void>((r) => {
      onCut = r;
    });
    const first = new MockActivityEnvironment().run(() => createActivities(cutting).sendReturnEmail(goodwill(orderId, 'rf_cut1')));
    await cutHappened;
    onCut = () => {};
    const second = () => new MockActivityEnvironment().run(() => createActivities(direct).sendReturnEmail(goodwill(orderId, 'rf_cut1')));
    await expect(second()).rejects.toBeInstanceOf(EmailInProgressError);
    expect(await first).toEqual({ sent: true });
    expect(await second()).toEqual({ sent: false });
    const mails = mailsFor(orderId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.headers['x-cathay-email']).toBe('goodwill_refunded');
    expect(mails[0]?.text).toContain('late parcel');
    expect(await notification(orderId)).toMatchObject({
      kind: 'goodwill_refunded:rf_cut1',
      message_id: `<${orderId}.goodwill_refunded.rf_cut1@orders.cathay.shop>`,
      ambiguous_resends: 0,
    });
    expect(await queued(orderId)).toEqual([]);
  }, 30_000);

  test("a dead sender's return email is finished by the sweeper from what its row carries", async () => {
    const orderId = await newOrder(direct.db);
    await sql`INSERT INTO order_email_outbox (order_id, kind, details, attempts, next_attempt_at, sending_since, created_at)
              VALUES (${orderId}, 'goodwill_refunded:rf_dead1', ${JSON.stringify({ refundId: 'rf_dead1', amount: 990, reason: 'dented box' })}::jsonb,
                      1, now() - interval '1 second', now() - interval '95 seconds', now() - interval '95 seconds')`.execute(direct.db);
    expect(await createOrderEmailOutbox(direct).sendDue()).toBeGreaterThanOrEqual(1);
    const mails = mailsFor(orderId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('9.90');
    expect(mails[0]?.text).toContain('dented box');
    expect(await notification(orderId)).toMatchObject({ kind: 'goodwill_refunded:rf_dead1', ambiguous_resends: 1 });
    // Its workflow's retried activity then finds it recorded.
    expect(await new MockActivityEnvironment().run(() => createActivities(direct).sendReturnEmail(goodwill(orderId, 'rf_dead1')))).toEqual({
      sent: false,
    });
    expect(mailsFor(orderId)).toHaveLength(1);
  });
});
