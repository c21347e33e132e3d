import { Context } from '@temporalio/activity';
import { commitStock, releaseStock, reserveStock } from '../../db/queries/inventory';
import type { ReserveLine, ReserveResult } from '../../domain/inventory';
import type { ActivityDeps } from '../deps';

export interface ReserveStockInput {
  orderId: string;
  lines: ReserveLine[];
  /** ISO time the hold lapses (the payment window); the safety-net schedule releases after it. */
  holdUntil: string;
}

/**
 * Reservation activities. Each is idempotent by order id, so Temporal's retries (and a retry
 * racing a slow first attempt) never reserve, release or commit twice.
 */
export function createReservationActivities(deps: ActivityDeps) {
  return {
    async reserveStock(input: ReserveStockInput): Promise<ReserveResult> {
      const result = await reserveStock(deps.db, input.orderId, input.lines, new Date(input.holdUntil));
      Context.current().log.info('reserveStock', { orderId: input.orderId, ok: result.ok });
      return result;
    },
    async releaseReservation(input: { orderId: string; reason: string }): Promise<{ released: number }> {
      const released = await releaseStock(deps.db, input.orderId, input.reason);
      Context.current().log.info('releaseReservation', { orderId: input.orderId, reason: input.reason, released });
      return { released };
    },
    async commitReservation(orderId: string): Promise<{ committed: number }> {
      const committed = await commitStock(deps.db, orderId);
      Context.current().log.info('commitReservation', { orderId, committed });
      return { committed };
    },
  };
}
