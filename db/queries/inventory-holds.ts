import type { Db } from '../connection';

/** Orders holding stock whose hold expired before `before`, oldest first (uses reservations_held_expiry_idx). */
export async function findOrdersWithExpiredHolds(db: Db, opts: { before: Date; limit: number }): Promise<string[]> {
  const rows = await db
    .selectFrom('reservations')
    .select('order_id')
    .where('status', '=', 'held')
    .where('expires_at', '<', opts.before)
    .groupBy('order_id')
    .orderBy((eb) => eb.fn.min('expires_at'))
    .limit(opts.limit)
    .execute();
  return rows.map((r) => r.order_id);
}
