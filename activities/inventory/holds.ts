import { Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { releaseStock } from '../../db/queries/inventory';
import { findOrdersWithExpiredHolds } from '../../db/queries/inventory-holds';
import { orderWorkflowId } from '../../domain/orders/identity';
import type { ActivityDeps } from '../deps';

export interface HoldSweepInput {
  /** Only holds expired for at least this long (the order workflow's own timer releases first). */
  graceSeconds: number;
  /** Orders looked at per run. */
  limit: number;
}

export interface HoldSweepResult {
  /** Orders found holding stock past their expiry (plus grace). */
  expired: number;
  /** …of which no running order workflow owned the hold, so it was released here. */
  released: number;
  /** …of which the order workflow is still running: it owns its hold, left alone. */
  ownedByRunningWorkflow: number;
  /** The released order ids (at most 100), for the log and the workflow result. */
  releasedOrderIds: string[];
}

async function orderWorkflowRunning(client: Client, orderId: string): Promise<boolean> {
  try {
    const d = await client.workflow.getHandle(orderWorkflowId(orderId)).describe();
    return d.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err; // unsure: never release on a guess; the activity is retried
  }
}

/**
 * The safety net behind the order workflow's own payment-window timer: releases holds that
 * expired and that no running order workflow owns any more. Normally finds nothing; anything it
 * finds is logged as a warning (it means an order workflow ended without releasing its stock).
 * Idempotent: release_stock releases a hold once.
 */
export function createHoldSweepActivities(deps: ActivityDeps) {
  return {
    async releaseOrphanedHolds(input: HoldSweepInput): Promise<HoldSweepResult> {
      const log = Context.current().log;
      const orderIds = await findOrdersWithExpiredHolds(deps.db, {
        before: new Date(Date.now() - input.graceSeconds * 1000),
        limit: input.limit,
      });
      const result: HoldSweepResult = { expired: orderIds.length, released: 0, ownedByRunningWorkflow: 0, releasedOrderIds: [] };
      for (const orderId of orderIds) {
        Context.current().heartbeat(orderId);
        if (await orderWorkflowRunning(deps.temporal, orderId)) {
          result.ownedByRunningWorkflow++;
          log.info('expired hold left to its running order workflow', { orderId });
          continue;
        }
        const rows = await releaseStock(deps.db, orderId, 'hold expired and no order workflow owns it (safety net)');
        if (rows > 0) {
          result.released++;
          if (result.releasedOrderIds.length < 100) result.releasedOrderIds.push(orderId);
          log.warn('released an orphaned expired stock hold', { orderId, reservations: rows });
        }
      }
      if (result.expired > 0) log.warn('hold sweep found expired holds', { ...result });
      else log.info('hold sweep: no expired holds');
      return result;
    },
  };
}
