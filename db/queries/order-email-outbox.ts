/**
 * The order email outbox (migration 0051): emails a status change calls for, written in that
 * change's transaction and sent after it commits. A row is claimed by moving `next_attempt_at`
 * forward (a lease: a sender that dies leaves it to be claimed again when the lease ends) and
 * deleted once the email is recorded in `order_notifications`.
 */
import { type QueryCreator, sql } from 'kysely';
import type { EmailKind } from '../../domain/orders/types';
import type { Db } from '../connection';
import type { Database } from '../database';

export interface QueuedEmail {
  orderId: string;
  kind: EmailKind;
  details: { reason?: string; refunded?: boolean } | null;
  attempts: number;
  createdAt: Date;
}

type Row = { order_id: string; kind: string; details: Record<string, unknown> | null; attempts: number; created_at: Date };
const toQueued = (r: Row): QueuedEmail => ({
  orderId: r.order_id,
  kind: r.kind as EmailKind,
  details: r.details as QueuedEmail['details'],
  attempts: r.attempts,
  createdAt: new Date(r.created_at),
});

/**
 * Queues an email: the insert, for the caller to run inside the statement or transaction of the
 * status change that calls for it (db/queries/orders.ts `recordStatusChange`). `firstLeaseMs` is
 * how long the committing process has for its first attempt before a sweeper may take the row. A
 * repeat (retried step) changes nothing.
 */
export function enqueueOrderEmail(
  q: QueryCreator<Database>,
  e: { orderId: string; kind: EmailKind; details?: QueuedEmail['details']; firstLeaseMs: number },
) {
  return q
    .insertInto('order_email_outbox')
    .values({
      order_id: e.orderId,
      kind: e.kind,
      details: e.details ? JSON.stringify(e.details) : null,
      next_attempt_at: sql<Date>`now() + ${`${e.firstLeaseMs} milliseconds`}::interval`,
    })
    .onConflict((oc) => oc.columns(['order_id', 'kind']).doNothing());
}

/** The first attempt, by the process that committed the row: only while nobody has tried yet. */
export async function claimFirstAttempt(db: Db, orderId: string, kind: EmailKind, leaseMs: number): Promise<QueuedEmail | undefined> {
  const row = await db
    .updateTable('order_email_outbox')
    .set({ attempts: sql`attempts + 1`, next_attempt_at: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where('order_id', '=', orderId)
    .where('kind', '=', kind)
    .where('attempts', '=', 0)
    .returning(['order_id', 'kind', 'details', 'attempts', 'created_at'])
    .executeTakeFirst();
  return row ? toQueued(row as Row) : undefined;
}

/** Rows whose lease or backoff has ended (a sender died, or an attempt failed): up to `limit`, each leased for `leaseMs`. */
export async function claimDueEmails(db: Db, limit: number, leaseMs: number): Promise<QueuedEmail[]> {
  const rows = await sql<Row>`
    UPDATE order_email_outbox o
    SET attempts = o.attempts + 1, next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
    FROM (
      SELECT order_id, kind FROM order_email_outbox WHERE next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ) due
    WHERE o.order_id = due.order_id AND o.kind = due.kind
    RETURNING o.order_id, o.kind, o.details, o.attempts, o.created_at`.execute(db);
  return rows.rows.map(toQueued);
}

/** Sent (and recorded in order_notifications) or given up: the row goes. */
export async function removeQueuedEmail(db: Db, orderId: string, kind: EmailKind): Promise<void> {
  await db.deleteFrom('order_email_outbox').where('order_id', '=', orderId).where('kind', '=', kind).execute();
}

/** A failed attempt: try again after `delayMs`. */
export async function deferQueuedEmail(db: Db, orderId: string, kind: EmailKind, delayMs: number, error: string): Promise<void> {
  await db
    .updateTable('order_email_outbox')
    .set({ next_attempt_at: sql<Date>`now() + ${`${delayMs} milliseconds`}::interval`, last_error: error.slice(0, 500) })
    .where('order_id', '=', orderId)
    .where('kind', '=', kind)
    .execute();
}
