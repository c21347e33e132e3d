/**
 * Inventory operations: the ops view of one sku, setting stock (ledgered by the trigger of 0030
 * with reason 'adjust' or 'sync'), and staging/applying bulk sync jobs (functions of 0031).
 */
import { sql } from 'kysely';
import { LOCATIONS } from '../../domain/db-enums';
import { MAX_REPORTED_REJECTED, type SyncBatchResult, type SyncRejectedRow } from '../../domain/inventory-sync';
import type { InventoryView, SyncItem } from '../../domain/schemas/inventory';
import type { Db } from '../connection';

/** Where a stock row goes when no location is given and the sku has none yet. */
export const DEFAULT_LOCATION = LOCATIONS[0];
const MAX_LISTED_RESERVATIONS = 1_000;

export async function getInventoryView(db: Db, sku: string): Promise<InventoryView | null> {
  const product = await db.selectFrom('products').select('sku').where('sku', '=', sku).executeTakeFirst();
  if (!product) return null;
  const [levels, held, count] = await Promise.all([
    db
      .selectFrom('inventory_levels')
      .select(['location_id', 'on_hand', 'reserved'])
      .where('sku', '=', sku)
      .orderBy('location_id')
      .execute(),
    db
      .selectFrom('reservations')
      .select(['order_id', 'location_id', 'quantity', 'status', 'expires_at'])
      .where('sku', '=', sku)
      .where('status', '=', 'held')
      .orderBy('expires_at')
      .orderBy('order_id')
      .limit(MAX_LISTED_RESERVATIONS)
      .execute(),
    db
      .selectFrom('reservations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sku', '=', sku)
      .where('status', '=', 'held')
      .executeTakeFirstOrThrow(),
  ]);
  const onHand = levels.reduce((a, l) => a + l.on_hand, 0);
  const reserved = levels.reduce((a, l) => a + l.reserved, 0);
  return {
    sku: product.sku,
    onHand,
    reserved,
    available: onHand - reserved,
    locations: levels.map((l) => ({
      locationId: l.location_id,
      onHand: l.on_hand,
      reserved: l.reserved,
      available: l.on_hand - l.reserved,
    })),
    reservations: held.map((r) => ({
      orderId: r.order_id,
      locationId: r.location_id,
      quantity: r.quantity,
      status: r.status,
      expiresAt: r.expires_at.toISOString(),
    })),
    reservationCount: count.n,
  };
}

export type SetStockResult =
  | { outcome: 'applied' | 'unchanged'; locationId: string; previous: number; onHand: number; reserved: number }
  | { outcome: 'rejected'; reason: 'unknown_sku' }
  | { outcome: 'rejected'; reason: 'location_required'; locations: string[] }
  | { outcome: 'rejected'; reason: 'below_reserved'; locationId: string; onHand: number; reserved: number };

/** Sets on hand at one location (reason 'adjust'), in one round trip; never below what is reserved. */
export async function adjustStock(
  db: Db,
  input: { sku: string; onHand: number; locationId?: string | undefined },
): Promise<SetStockResult> {
  const { rows } = await sql<{ r: SetStockResult }>`
    SELECT adjust_stock(${input.sku}, ${input.locationId ?? null}, ${DEFAULT_LOCATION}, ${input.onHand}) AS r`.execute(db);
  const r = rows[0]?.r;
  if (!r) throw new Error('adjust_stock returned nothing');
  return r;
}

const STAGE_CHUNK = 10_000;

/** Stages a bulk sync's rows (one transaction, chunked multi-row inserts). */
export async function stageSyncJob(db: Db, job: { jobId: string; workflowId: string; items: readonly SyncItem[] }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sync_jobs')
      .values({ id: job.jobId, type: 'inventorySync', total: job.items.length, workflow_id: job.workflowId })
      .execute();
    for (let from = 0; from < job.items.length; from += STAGE_CHUNK) {
      const chunk = job.items.slice(from, from + STAGE_CHUNK);
      await sql`
        INSERT INTO sync_job_rows (job_id, idx, sku, location_id, on_hand)
        SELECT ${job.jobId}, t.idx, t.sku, t.location_id, t.on_hand
          FROM unnest(${chunk.map((_, i) => from + i)}::int[], ${chunk.map((r) => r.sku)}::text[],
                      ${chunk.map((r) => r.locationId ?? null)}::text[], ${chunk.map((r) => r.onHand)}::int[])
               AS t(idx, sku, location_id, on_hand)`.execute(trx);
    }
  });
}

/** Removes a staged job whose workflow could not be started. */
export async function deleteSyncJob(db: Db, jobId: string): Promise<void> {
  await db.deleteFrom('sync_jobs').where('id', '=', jobId).execute();
}

export async function getSyncJob(db: Db, jobId: string) {
  return db.selectFrom('sync_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
}

/** Applies staged rows [from, to) of a job; idempotent (decided rows are skipped). */
export async function applySyncBatch(
  db: Db,
  input: { jobId: string; from: number; to: number; maxRejected: number },
): Promise<SyncBatchResult> {
  const { rows } = await sql<{ r: SyncBatchResult }>`
    SELECT apply_sync_batch(${input.jobId}, ${input.from}, ${input.to}, ${DEFAULT_LOCATION}, ${input.maxRejected}) AS r`.execute(db);
  const r = rows[0]?.r;
  if (!r) throw new Error('apply_sync_batch returned nothing');
  return r;
}

/** A job's progress as recorded in Postgres (used when its workflow cannot be asked). */
export async function syncJobProgressFromRows(db: Db, jobId: string) {
  const [counts, rejected] = await Promise.all([
    db
      .selectFrom('sync_job_rows')
      .select((eb) => [
        eb.fn.count<number>('outcome').as('processed'),
        sql<number>`count(*) FILTER (WHERE outcome = 'applied')`.as('applied'),
        sql<number>`count(*) FILTER (WHERE outcome = 'unchanged')`.as('unchanged'),
        sql<number>`count(*) FILTER (WHERE outcome = 'rejected')`.as('rejectedCount'),
      ])
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sync_job_rows')
      .select(['idx as index', 'sku', 'reason'])
      .where('job_id', '=', jobId)
      .where('outcome', '=', 'rejected')
      .orderBy('idx')
      .limit(MAX_REPORTED_REJECTED)
      .execute(),
  ]);
  return {
    processed: Number(counts.processed),
    applied: Number(counts.applied),
    unchanged: Number(counts.unchanged),
    rejectedCount: Number(counts.rejectedCount),
    rejected: rejected.map((r): SyncRejectedRow => ({ index: r.index, sku: r.sku, reason: r.reason ?? 'rejected' })),
  };
}
