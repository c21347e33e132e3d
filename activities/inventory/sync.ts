import { Context } from '@temporalio/activity';
import { applySyncBatch } from '../../db/queries/inventory-ops';
import type { SyncBatchResult } from '../../domain/inventory-sync';
import type { ActivityDeps } from '../deps';

/** Applying a staged bulk sync, one range per call (idempotent: decided rows are skipped). */
export function createInventorySyncActivities(deps: ActivityDeps) {
  return {
    async applyInventorySyncBatch(input: { jobId: string; from: number; to: number; maxRejected: number }): Promise<SyncBatchResult> {
      const result = await applySyncBatch(deps.db, input);
      Context.current().log.info('inventory sync batch', {
        jobId: input.jobId,
        from: input.from,
        to: input.to,
        applied: result.applied,
        rejected: result.rejectedCount,
      });
      return result;
    },
  };
}
