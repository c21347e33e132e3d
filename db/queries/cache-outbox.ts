/**
 * The cache invalidator's side of the outbox: its own progress column (`cache_processed_at`),
 * so the search sync (`processed_at`) and the cache never wait for each other.
 */
import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from '../database';

type Db = Kysely<Database>;

export type PendingOutboxRow = Pick<OutboxRow, 'id' | 'topic' | 'aggregate_id' | 'payload'>;

/** The oldest unprocessed rows, locked for this transaction; rows another consumer holds are skipped. */
export async function claimCachePending(trx: Db, limit: number): Promise<PendingOutboxRow[]> {
  return trx
    .selectFrom('outbox')
    .select(['id', 'topic', 'aggregate_id', 'payload'])
    .where('cache_processed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markCacheProcessed(trx: Db, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await trx
    .updateTable('outbox')
    .set({ cache_processed_at: new Date() })
    .where('id', 'in', [...ids])
    .execute();
}

/** Product ids of these skus, deleted products included (their entries must go too). */
export async function productIdsBySku(db: Db, skus: readonly string[]): Promise<Map<string, string>> {
  if (!skus.length) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['id', 'sku'])
    .where('sku', 'in', [...skus])
    .execute();
  return new Map(rows.map((r) => [r.sku, r.id]));
}
