/**
 * The order email outbox (migrations 0051, 0052): one row per email of an order (its own, or one
 * about a return or refund of it) not yet recorded in `order_notifications`. A status change
 * queues its email in its own statement (`enqueueOrderEmail`); the local activities' emails get
 * their row from their first claim.
 *
 * The row is the send's claim: `claimOrderEmail` takes it in one committed statement (a lease on
 * `next_attempt_at`, `sending_since` set: an attempt started) and reads what the email needs;
 * `recordOrderEmailSent` records the send in `order_notifications` and deletes the row in one
 * statement; `releaseOrderEmail` gives it back with a backoff after a failed attempt. No
 * transaction is held across SMTP.
 */
import { type QueryCreator, sql } from 'kysely';
import type { NotificationKind } from '../../domain/orders/types';
import type { Db } from '../connection';
import type { Database } from '../database';

/** What an email says beyond the order: a cancellation's reason, a return's id, a refund's amount. */
export type EmailDetails = { reason?: string; refunded?: boolean; returnId?: string | null; refundId?: string; amount?: number };

/** How a claim may take the row. */
export type ClaimMode =
  /** The first attempt, by the process that queued the row: only while nobody has tried yet. */
  | 'first'
  /** A sweeper: only a row whose lease or backoff has ended. */
  | 'due'
  /** The local activity: creates the row, or takes it once its lease or backoff has ended. */
  | 'activity';

export interface ClaimedEmail {
  orderId: string;
  kind: NotificationKind;
  details: EmailDetails | null;
  /** Including this one. */
  attempts: number;
  /** This claim follows an attempt that may have sent (its sender died between claim and record). */
  resending: boolean;
  /** Such claims so far, this one included: how many extra copies the relay may have taken. */
  ambiguousAttempts: number;
  createdAt: Date;
  order: {
    email: string;
    shippingAddress: Record<string, unknown>;
    currency: string;
    subtotal: number;
    shipping: number;
    total: number;
    carrier: string | null;
    service: string | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    lines: Array<{ sku: string; name: string; quantity: number; lineTotal: number }>;
  } | null;
}

export type ClaimResult =
  | { state: 'claimed'; email: ClaimedEmail }
  /** `order_notifications` has it. */
  | { state: 'sent' }
  /** Another execution holds the claim, or (first, due) there is nothing to take. */
  | { state: 'taken' };

const interval = (ms: number) => sql<Date>`now() + ${`${ms} milliseconds`}::interval`;

/**
 * Queues an email: the insert, for the caller to run inside the statement or transaction of the
 * status change that calls for it (db/queries/orders.ts `recordStatusChange`). `firstLeaseMs` is
 * how long the committing process has for its first attempt before a sweeper may take the row. A
 * repeat (retried step) changes nothing.
 */
export function enqueueOrderEmail(
  q: QueryCreator<Database>,
  e: { orderId: string; kind: NotificationKind; details?: EmailDetails | null; firstLeaseMs: number },
) {
  return q
    .insertInto('order_email_outbox')
    .values({
      order_id: e.orderId,
      kind: e.kind,
      details: e.details ? JSON.stringify(e.details) : null,
      next_attempt_at: interval(e.firstLeaseMs),
    })
    .onConflict((oc) => oc.columns(['order_id', 'kind']).doNothing());
}

type ClaimRow = {
  claimed: boolean;
  sent: boolean;
  details: EmailDetails | null;
  attempts: number;
  resending: boolean;
  ambiguous_attempts: number;
  created_at: Date;
  email: string | null;
  shipping_address: Record<string, unknown> | null;
  currency: string;
  subtotal_amount: number;
  shipping_amount: number;
  total_amount: number;
  shipping_carrier: string | null;
  shipping_service: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  lines: Array<{ sku: string; name: string; quantity: number; lineTotal: number }> | null;
};

/**
 * Claims the (order, kind) send for `leaseMs` and reads the order and its lines, in one committed
 * statement. The claim counts the attempt and sets `sending_since`; if the previous claim left
 * `sending_since` set (its sender never recorded nor released it), this one is a re-send after an
 * ambiguous attempt and says so.
 */
export async function claimOrderEmail(
  db: Db,
  c: { orderId: string; kind: NotificationKind; mode: ClaimMode; leaseMs: number; details?: EmailDetails | null },
): Promise<ClaimResult> {
  const { orderId, kind } = c;
  const notSent = sql`NOT EXISTS (SELECT 1 FROM order_notifications n WHERE n.order_id = ${orderId} AND n.kind = ${kind})`;
  // In SET, `q.` is the row as it was: a set `sending_since` there is an attempt of unknown fate.
  const take = sql`attempts = q.attempts + 1, next_attempt_at = ${interval(c.leaseMs)}, sending_since = now(),
    resending = q.sending_since IS NOT NULL, ambiguous_attempts = q.ambiguous_attempts + (q.sending_since IS NOT NULL)::int`;
  const returning = sql`RETURNING q.order_id, q.details, q.attempts, q.resending, q.ambiguous_attempts, q.created_at`;
  const claim =
    c.mode === 'activity'
      ? sql`INSERT INTO order_email_outbox AS q (order_id, kind, details, attempts, next_attempt_at, sending_since)
              SELECT ${orderId}, ${kind}, ${c.details ? JSON.stringify(c.details) : null}::jsonb, 1, ${interval(c.leaseMs)}, now()
              WHERE ${notSent}
            ON CONFLICT (order_id, kind) DO UPDATE SET ${take} WHERE q.next_attempt_at <= now()
            ${returning}`
      : sql`UPDATE order_email_outbox q SET ${take}
             WHERE q.order_id = ${orderId} AND q.kind = ${kind} AND ${notSent}
               AND ${c.mode === 'first' ? sql`q.attempts = 0` : sql`q.next_attempt_at <= now()`}
            ${returning}`;
  const { rows } = await sql<ClaimRow>`
    WITH c AS (${claim})
    SELECT c.order_id IS NOT NULL AS claimed, NOT ${notSent} AS sent,
           c.details, c.attempts, c.resending, c.ambiguous_attempts, c.created_at,
           o.email, o.shipping_address, o.currency, o.subtotal_amount, o.shipping_amount, o.total_amount,
           o.shipping_carrier, o.shipping_service, o.tracking_number, o.tracking_url,
           (SELECT json_agg(json_build_object('sku', l.sku, 'name', l.name, 'quantity', l.quantity, 'lineTotal', l.line_total_amount)
                            ORDER BY l.line_no)
              FROM order_lines l WHERE l.order_id = c.order_id) AS lines
      FROM (VALUES (1)) AS one (x)
      LEFT JOIN c ON true
      LEFT JOIN orders o ON o.id = c.order_id`.execute(db);
  const r = rows[0];
  if (!r?.claimed) return r?.sent ? { state: 'sent' } : { state: 'taken' };
  return {
    state: 'claimed',
    email: {
      orderId,
      kind,
      details: r.details,
      attempts: r.attempts,
      resending: r.resending,
      ambiguousAttempts: r.ambiguous_attempts,
      createdAt: new Date(r.created_at),
      order:
        r.email === null
          ? null
          : {
              email: r.email,
              shippingAddress: r.shipping_address ?? {},
              currency: r.currency.trim(),
              subtotal: r.subtotal_amount,
              shipping: r.shipping_amount,
              total: r.total_amount,
              carrier: r.shipping_carrier,
              service: r.shipping_service,
              trackingNumber: r.tracking_number,
              trackingUrl: r.tracking_url,
              lines: r.lines ?? [],
            },
    },
  };
}

/**
 * The email went: recorded in `order_notifications` (with the re-sends after ambiguous attempts it
 * took) and its outbox row deleted, in one statement. Repeatable: a retry after a lost answer, or
 * a late second sender, only raises the re-send count to the larger of the two.
 */
export async function recordOrderEmailSent(
  db: Db,
  r: { orderId: string; kind: NotificationKind; messageId: string; ambiguousResends: number },
): Promise<void> {
  await sql`
    WITH n AS (
      INSERT INTO order_notifications AS n (order_id, kind, message_id, ambiguous_resends)
      VALUES (${r.orderId}, ${r.kind}, ${r.messageId}, ${r.ambiguousResends})
      ON CONFLICT (order_id, kind) DO UPDATE SET ambiguous_resends = greatest(n.ambiguous_resends, excluded.ambiguous_resends)
      RETURNING 1
    ), d AS (
      DELETE FROM order_email_outbox WHERE order_id = ${r.orderId} AND kind = ${r.kind} RETURNING 1
    )
    SELECT (SELECT count(*) FROM n) AS recorded, (SELECT count(*) FROM d) AS dequeued`.execute(db);
}

/**
 * A failed attempt gives its claim back: retried after `delayMs`. `maybeSent` (the relay may have
 * taken the message before the failure) keeps `sending_since`, so the next claim counts as a
 * re-send after an ambiguous attempt. Only the claim numbered `attempts` is released.
 */
export async function releaseOrderEmail(
  db: Db,
  r: { orderId: string; kind: NotificationKind; attempts: number; delayMs: number; error: string; maybeSent: boolean },
): Promise<void> {
  await db
    .updateTable('order_email_outbox')
    .set({
      next_attempt_at: interval(r.delayMs),
      last_error: r.error.slice(0, 500),
      ...(r.maybeSent ? {} : { sending_since: null }),
    })
    .where('order_id', '=', r.orderId)
    .where('kind', '=', r.kind)
    .where('attempts', '=', r.attempts)
    .execute();
}

/** Rows whose lease or backoff has ended (a sender died, or an attempt failed): up to `limit`, oldest first. */
export async function dueOrderEmails(db: Db, limit: number): Promise<Array<{ orderId: string; kind: NotificationKind }>> {
  const rows = await db
    .selectFrom('order_email_outbox')
    .select(['order_id', 'kind'])
    .where('next_attempt_at', '<=', sql<Date>`now()`)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ orderId: r.order_id, kind: r.kind as NotificationKind }));
}

/** Given up (or found recorded already): the row goes. */
export async function removeQueuedEmail(db: Db, orderId: string, kind: NotificationKind): Promise<void> {
  await db.deleteFrom('order_email_outbox').where('order_id', '=', orderId).where('kind', '=', kind).execute();
}
