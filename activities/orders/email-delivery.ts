/**
 * Sending one email of an order, once per (order, kind): the one routine behind the email outbox
 * (email-outbox.ts: first attempts and the sweeper), the `sendOrderEmail` local activity and the
 * return emails' `sendReturnEmail` (a return email's kind names its return: `return_approved:rt_…`).
 *
 * 1. Claim: one committed statement takes the (order, kind) outbox row for a lease, notes that an
 *    attempt started (`sending_since`) and reads the order. Another execution meanwhile — a
 *    workflow task re-run on a second worker, a sweeper — gets nothing and retries later.
 * 2. Render and send over SMTP, holding no transaction (a Postgres fault cannot undo the claim).
 * 3. Record: one statement inserts the `order_notifications` row (the truth of "sent") and deletes
 *    the outbox row, on the connection taken for the claim (a busy pool cannot fail it). If
 *    Postgres is away, THE RECORD is retried in-process for up to RECORD_RETRY_FOR_MS — never the
 *    send: this process knows it sent.
 *
 * Only a sender that dies between its claim and its record (SIGKILL, OOM, power) leaves an
 * ambiguous attempt: its lease ends with `sending_since` still set, the next claim re-sends with the
 * same deterministic Message-ID (mail clients show one message), logs a warning and carries the
 * count into `order_notifications.ambiguous_resends`, which the reliability audit reads to tell an
 * explained re-send from a bug.
 */
import {
  type ClaimedEmail,
  type ClaimMode,
  claimOrderEmail,
  type EmailDetails,
  recordOrderEmailSent,
  releaseOrderEmail,
  removeQueuedEmail,
} from '../../db/queries/order-email-outbox';
import type { EmailKind, NotificationKind } from '../../domain/orders/types';
import { renderOrderEmail } from '../../integrations/mail/templates';
import type { ActivityDeps } from '../deps';
import { renderClaimedReturnEmail, returnEmailKindOf } from '../returns/email';

/** Thrown when another execution holds the (order, kind) claim; retryable: it will have sent. */
export class EmailInProgressError extends Error {
  constructor(orderId: string, kind: NotificationKind) {
    super(`the ${kind} email of ${orderId} is being sent by another execution`);
    this.name = 'EmailInProgressError';
  }
}

export function orderMessageId(orderId: string, kind: EmailKind): string {
  return `<${orderId}.${kind}@orders.cathay.shop>`;
}

/**
 * A claim's lease: longer than a send can take (the mailer's timeouts: 5 s to connect and greet,
 * 10 s per socket read) plus the record's first retries, short enough that an email whose sender
 * died goes out about a minute and a half later. A Postgres outage longer than this can let
 * another worker take the claim while its sender is still retrying the record; that re-send is
 * then counted as ambiguous (it follows an unrecorded attempt).
 */
export const EMAIL_CLAIM_LEASE_MS = 90_000;
/**
 * How long a sender that knows it sent keeps retrying the record while Postgres is away: longer
 * than the outages the system is built to ride out (a restart, a failover, the chaos suite's 20 s
 * cut), bounded so a worker shutting down during a long outage does not hang.
 */
export const RECORD_RETRY_FOR_MS = 180_000;
const RECORD_RETRY_MAX_DELAY_MS = 2_000;
/** After a failed attempt (outbox and activity alike): 2 s doubling to 5 min, given up after an hour. */
export const GIVE_UP_AFTER_MS = 3_600_000;
export const retryDelayMs = (attempts: number) => Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));

export type DeliveryOutcome =
  | { state: 'sent'; attempts: number; resending: boolean }
  /** `order_notifications` had it already. */
  | { state: 'already-sent' }
  /** Another execution holds the claim, or (first, due) there was nothing left to take. */
  | { state: 'taken' };

type DeliveryDeps = Pick<ActivityDeps, 'db' | 'mailer' | 'logger'>;

/**
 * Whether a failed send may still have reached the relay: not if the relay answered with an SMTP
 * error code, or the connection was never made; otherwise (a reset or timeout mid-conversation,
 * an unknown error) it may have.
 */
function mayHaveSent(err: unknown): boolean {
  const e = err as { responseCode?: unknown; code?: unknown; originalCode?: unknown };
  if (typeof e.responseCode === 'number') return false;
  const code = e.originalCode ?? e.code;
  return !(code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims, sends and records one order email (see the file comment). Throws if the send (or the
 * render) failed — the claim is released with a backoff first, or the row given up after an hour.
 */
export async function deliverOrderEmail(
  deps: DeliveryDeps,
  input: { orderId: string; kind: NotificationKind; details?: EmailDetails | null },
  mode: ClaimMode,
): Promise<DeliveryOutcome> {
  const { orderId, kind } = input;
  const attempt = await deps.db.connection().execute(async (conn) => {
    const claim = await claimOrderEmail(conn, { orderId, kind, mode, leaseMs: EMAIL_CLAIM_LEASE_MS, details: input.details ?? null });
    if (claim.state === 'sent') {
      // A row recorded but not deleted (written before migration 0052): nothing to send.
      if (mode !== 'activity') await removeQueuedEmail(conn, orderId, kind);
      return { outcome: { state: 'already-sent' } as const };
    }
    if (claim.state === 'taken') return { outcome: { state: 'taken' } as const };
    const email = claim.email;
    if (email.resending) {
      deps.logger.warn(
        { orderId, kind, attempts: email.attempts, ambiguousAttempts: email.ambiguousAttempts },
        'order email re-sent after an ambiguous attempt (its sender died between claim and record); same Message-ID',
      );
    }
    let message: Awaited<ReturnType<typeof render>>;
    try {
      message = await render(conn, email);
    } catch (err) {
      await giveBack(deps, conn, email, err, false);
      throw err;
    }
    try {
      await deps.mailer.send(message);
    } catch (err) {
      await giveBack(deps, conn, email, err, mayHaveSent(err));
      throw err;
    }
    const record = { orderId, kind, messageId: message.messageId, ambiguousResends: email.ambiguousAttempts };
    try {
      await recordOrderEmailSent(conn, record);
      return { outcome: { state: 'sent', attempts: email.attempts, resending: email.resending } as const };
    } catch (err) {
      return { outcome: { state: 'sent', attempts: email.attempts, resending: email.resending } as const, unrecorded: { record, err } };
    }
  });
  if ('unrecorded' in attempt && attempt.unrecorded) await recordAfterSend(deps, attempt.unrecorded.record, attempt.unrecorded.err);
  return attempt.outcome;
}

/** The message of a claimed row: an order email, or one about a return or refund of the order. */
async function render(db: DeliveryDeps['db'], email: ClaimedEmail) {
  const returnKind = returnEmailKindOf(email.kind);
  if (returnKind) return renderClaimedReturnEmail(db, returnKind, email);
  const kind = email.kind as EmailKind;
  const order = email.order;
  if (!order) throw new Error(`order ${email.orderId} not found`);
  const address = order.shippingAddress as { name?: string };
  const content = renderOrderEmail(kind, {
    orderId: email.orderId,
    customerName: address.name ?? 'customer',
    currency: order.currency,
    items: order.lines,
    subtotal: order.subtotal,
    shipping: order.shipping,
    total: order.total,
    carrier: order.carrier,
    service: order.service,
    trackingNumber: order.trackingNumber,
    trackingUrl: order.trackingUrl,
    reason: email.details?.reason ?? null,
    refunded: email.details?.refunded ?? false,
  });
  return {
    messageId: orderMessageId(email.orderId, kind),
    ...content,
    to: order.email,
    headers: { 'X-Cathay-Order': email.orderId, 'X-Cathay-Email': kind },
  };
}

/** A failed attempt: the claim back with a backoff, or the row given up after an hour of them. */
async function giveBack(deps: DeliveryDeps, conn: DeliveryDeps['db'], email: ClaimedEmail, err: unknown, maybeSent: boolean) {
  const { orderId, kind, attempts } = email;
  try {
    if (Date.now() - email.createdAt.getTime() > GIVE_UP_AFTER_MS) {
      deps.logger.error({ err, orderId, kind, attempts }, 'order email given up after an hour of retries');
      await removeQueuedEmail(conn, orderId, kind);
      return;
    }
    await releaseOrderEmail(conn, { orderId, kind, attempts, delayMs: retryDelayMs(attempts), error: String(err), maybeSent });
  } catch (releaseErr) {
    // The lease ends anyway: the row is retried then (as ambiguous: `sending_since` stays set).
    deps.logger.warn({ err: releaseErr, orderId, kind }, 'could not release a failed order email claim');
  }
}

/**
 * The relay accepted the message but the record failed (Postgres away, the connection reset):
 * retry the record — never the send — with backoff (250 ms doubling to 2 s) for up to
 * RECORD_RETRY_FOR_MS. If it never lands, the claim stays and the next claim after its lease
 * re-sends it, counted as ambiguous.
 */
async function recordAfterSend(deps: DeliveryDeps, record: Parameters<typeof recordOrderEmailSent>[1], firstErr: unknown): Promise<void> {
  const { orderId, kind } = record;
  deps.logger.warn({ err: firstErr, orderId, kind }, 'order email sent but not recorded; retrying the record (not the send)');
  const deadline = Date.now() + RECORD_RETRY_FOR_MS;
  let delay = 250;
  let tries = 1;
  let lastErr = firstErr;
  while (Date.now() < deadline) {
    await sleep(delay);
    delay = Math.min(RECORD_RETRY_MAX_DELAY_MS, delay * 2);
    tries++;
    try {
      await recordOrderEmailSent(deps.db, record);
      deps.logger.info({ orderId, kind, tries }, 'order email recorded after retries');
      return;
    } catch (err) {
      lastErr = err;
    }
  }
  deps.logger.error(
    { err: lastErr, orderId, kind, tries },
    'order email sent but not recorded after retrying for 3 minutes; its claim lease ends and it is re-sent (counted as ambiguous)',
  );
}
