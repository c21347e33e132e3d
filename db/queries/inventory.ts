import { sql } from 'kysely';
import { type Allocation, normalizeLines, type ReserveLine, type ReserveResult, ShortfallSchema } from '../../domain/inventory';
import type { Db } from '../connection';

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
}

/**
 * Reserves every line or none, in one round trip (`reserve_stock`, migration 0030). Idempotent
 * per order: a second call returns the allocations already held. Shortfall indexes refer to the
 * caller's `lines`.
 */
export async function reserveStock(db: Db, orderId: string, lines: readonly ReserveLine[], expiresAt: Date): Promise<ReserveResult> {
  const sorted = normalizeLines(lines);
  try {
    const { rows } = await sql<{ result: { ok: true; alreadyReserved: boolean; allocations: Allocation[] | null } }>`
      SELECT reserve_stock(${orderId}, ${sorted.map((l) => l.sku)}::text[], ${sorted.map((l) => l.quantity)}::int[], ${expiresAt}) AS result`.execute(
      db,
    );
    const result = rows[0]?.result;
    if (!result) throw new Error('reserve_stock returned nothing');
    const allocations = (result.allocations ?? []).map((a) => ({
      ...a,
      ...(a.line !== undefined ? { line: sorted[a.line]?.index ?? a.line } : {}),
    }));
    return { ok: true, alreadyReserved: result.alreadyReserved, allocations };
  } catch (err) {
    const e = err as PgError;
    if (e.code === 'P0001' && e.message === 'insufficient_stock' && e.detail) {
      const shortfalls = ShortfallSchema.array()
        .parse(JSON.parse(e.detail))
        .map((s) => ({ ...s, index: sorted[s.index]?.index ?? s.index }))
        .sort((a, b) => a.index - b.index);
      return { ok: false, shortfalls };
    }
    throw err;
  }
}

/** Held → released, stock back to available. Returns how many reservation rows changed (0 on a repeat). */
export async function releaseStock(db: Db, orderId: string, reason: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT release_stock(${orderId}, ${reason}) AS n`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Held → committed at shipment: on_hand and reserved both drop. Returns rows changed (0 on a repeat). */
export async function commitStock(db: Db, orderId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT commit_stock(${orderId}) AS n`.execute(db);
  return rows[0]?.n ?? 0;
}
