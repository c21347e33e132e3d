import { sql } from 'kysely';
import type { ReserveLine, ReserveResult } from '../../domain/inventory';
import type { Db } from '../connection';
import { reservationBatcher } from './reservation-batcher';

/**
 * Reserves every line or none (`reserve_stock_batch`, migration 0034, through the pool's
 * reservation batcher). Idempotent per order: a second call returns the allocations already held.
 * Shortfall and allocation indexes refer to the caller's `lines`.
 */
export function reserveStock(db: Db, orderId: string, lines: readonly ReserveLine[], expiresAt: Date): Promise<ReserveResult> {
  return reservationBatcher(db).reserve(orderId, lines, expiresAt);
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
