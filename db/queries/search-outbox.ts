/**
 * The search sync's side of the outbox (it owns `outbox.processed_at`; the cache invalidator has
 * its own column). Rows are claimed in id order with FOR UPDATE SKIP LOCKED inside the caller's
 * transaction, and one advisory lock makes sure a single drainer writes to the index at a time —
 * two drainers could otherwise enqueue an older state of a product after a newer one.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../database';

/** Key of the transaction-level advisory lock every writer of the live index takes. */
const SEARCH_INDEX_WRITER_LOCK = sql`hashtext('cathay:search-index-writer')`;

export interface OutboxChange {
  id: number;
  topic: 'product' | 'stock';
  aggregate_id: string;
  created_at: Date;
}

/** Takes the writer lock if free (false: another drainer is working, try again shortly). */
export async function tryLockSearchWriter(trx: Transaction<Database>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SEARCH_INDEX_WRITER_LOCK}) AS ok`.execute(trx);
  return rows[0]?.ok === true;
}

/** Waits for the writer lock (held until the transaction ends). */
export async function lockSearchWriter(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${SEARCH_INDEX_WRITER_LOCK})`.execute(trx);
}

export async function claimPendingForSearch(trx: Transaction<Database>, limit: number): Promise<OutboxChange[]> {
  const rows = await trx
    .selectFrom('outbox')
    .select(['id', 'topic', 'aggregate_id', 'created_at'])
    .where('processed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function markProcessedForSearch(trx: Transaction<Database>, ids: readonly number[]): Promise<void> {
  if (!ids.length) return;
  await trx.updateTable('outbox').set({ processed_at: sql`now()` }).where('id', 'in', ids.map(String)).execute();
}

/**
 * Where a full reindex starts replaying from: before the oldest row still pending, and never
 * after the newest row. Every change at or after it is replayed onto the rebuilt index.
 */
export async function replayMark(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ mark: number | string | null }>`
    SELECT LEAST(
      (SELECT MIN(id) - 1 FROM outbox WHERE processed_at IS NULL),
      (SELECT MAX(id) FROM outbox)
    ) AS mark`.execute(db);
  return Number(rows[0]?.mark ?? 0);
}

/** Outbox rows after `afterId`, processed or not, in id order (a reindex's replay). */
export async function changesAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<OutboxChange[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'topic', 'aggregate_id', 'created_at'])
    .where('id', '>', String(afterId))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Rows still waiting for the search sync, and how old the oldest is. */
export async function searchBacklog(db: Kysely<Database>): Promise<{ pending: number; oldestAt: Date | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('processed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldestAt: (row.oldest as Date | null) ?? null };
}
