/**
 * The search sync's side of the outbox (it owns `outbox.processed_at`; the cache invalidator has
 * its own column). One advisory lock, held by a session for the whole batch, makes sure a single
 * writer updates the index at a time — two drainers could otherwise enqueue an older state of a
 * product after a newer one. Rows are claimed with FOR UPDATE SKIP LOCKED in a short transaction
 * that also reads the products, and marked processed in another once Meilisearch has applied
 * them: no row lock is held while waiting for the engine, so a slow or hung Meilisearch never
 * holds up the cache invalidator working on the same rows.
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

/**
 * Runs `fn` on one connection holding the index writer lock (session level). `wait: false`
 * returns undefined at once when another writer holds it.
 */
export async function withSearchWriterLock<T>(
  db: Kysely<Database>,
  opts: { wait: boolean },
  fn: (conn: Kysely<Database>) => Promise<T>,
): Promise<T | undefined> {
  return db.connection().execute(async (conn) => {
    if (opts.wait) await sql`SELECT pg_advisory_lock(${SEARCH_INDEX_WRITER_LOCK})`.execute(conn);
    else {
      const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${SEARCH_INDEX_WRITER_LOCK}) AS ok`.execute(conn);
      if (rows[0]?.ok !== true) return undefined;
    }
    try {
      return await fn(conn);
    } finally {
      // If this fails the connection is broken, and Postgres drops the session's locks with it.
      await sql`SELECT pg_advisory_unlock(${SEARCH_INDEX_WRITER_LOCK})`.execute(conn).catch(() => {});
    }
  });
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

export async function markProcessedForSearch(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('outbox').set({ processed_at: sql`now()` }).where('id', 'in', ids.map(String)).execute();
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

/** Rows still waiting for the search sync, and how old the oldest is (GET /v1/admin/search/sync). */
export async function searchBacklog(db: Kysely<Database>): Promise<{ pending: number; oldestAt: Date | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('processed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldestAt: (row.oldest as Date | null) ?? null };
}
