import { sql } from 'kysely';
import type { Db } from '../connection';

export interface LedgerImbalance {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  ledger_on_hand: number;
  ledger_reserved: number;
  held: number;
}

/**
 * Every (sku, location) whose level disagrees with its ledger (SUM of deltas) or whose `reserved`
 * disagrees with the sum of its held reservations. Empty means the books balance.
 */
export async function ledgerImbalances(db: Db, skus?: readonly string[]): Promise<LedgerImbalance[]> {
  const filter = skus?.length ? sql`WHERE l.sku = ANY(${[...skus]}::text[])` : sql``;
  const { rows } = await sql<LedgerImbalance>`
    SELECT l.sku, l.location_id, l.on_hand, l.reserved,
           coalesce(m.on_hand, 0)::int AS ledger_on_hand, coalesce(m.reserved, 0)::int AS ledger_reserved,
           coalesce(h.held, 0)::int AS held
      FROM inventory_levels l
      LEFT JOIN (SELECT sku, location_id, sum(delta_on_hand) AS on_hand, sum(delta_reserved) AS reserved
                   FROM stock_movements GROUP BY sku, location_id) m USING (sku, location_id)
      LEFT JOIN (SELECT sku, location_id, sum(quantity) AS held
                   FROM reservations WHERE status = 'held' GROUP BY sku, location_id) h USING (sku, location_id)
      ${filter}
     GROUP BY l.sku, l.location_id, l.on_hand, l.reserved, m.on_hand, m.reserved, h.held
    HAVING l.on_hand <> coalesce(m.on_hand, 0) OR l.reserved <> coalesce(m.reserved, 0) OR l.reserved <> coalesce(h.held, 0)`.execute(db);
  return rows;
}
