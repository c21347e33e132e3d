import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { type InventorySyncInput, type InventorySyncProgress, MAX_REPORTED_REJECTED } from '../domain/inventory-sync';

/** Progress of a running sync (the jobs endpoint asks this while the workflow runs). */
export const inventorySyncProgressQuery = defineQuery<InventorySyncProgress>('inventorySyncProgress');

/** Workflow id of a sync job. */
export function inventorySyncWorkflowId(jobId: string): string {
  return `inventory-sync-${jobId}`;
}

const { applyInventorySyncBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/**
 * Applies a bulk stock sync whose rows the API staged in Postgres (`sync_job_rows`), in ranges of
 * `batchSize` rows, one transaction each. Only ranges and counters go through history (a 100k-row
 * payload would not fit Temporal's limits). A retried batch changes nothing twice: each staged row
 * records its outcome in the transaction that applied it.
 */
export async function inventorySync(input: InventorySyncInput): Promise<InventorySyncProgress> {
  const progress: InventorySyncProgress = {
    jobId: input.jobId,
    total: input.total,
    processed: 0,
    applied: 0,
    unchanged: 0,
    rejectedCount: 0,
    rejected: [],
    startedAt: workflowInfo().startTime.toISOString(),
  };
  setHandler(inventorySyncProgressQuery, () => progress);

  for (let from = 0; from < input.total; from += input.batchSize) {
    const to = Math.min(from + input.batchSize, input.total);
    const r = await applyInventorySyncBatch({
      jobId: input.jobId,
      from,
      to,
      maxRejected: MAX_REPORTED_REJECTED - progress.rejected.length,
    });
    progress.processed += r.processed;
    progress.applied += r.applied;
    progress.unchanged += r.unchanged;
    progress.rejectedCount += r.rejectedCount;
    progress.rejected.push(...r.rejected.slice(0, MAX_REPORTED_REJECTED - progress.rejected.length));
  }
  progress.finishedAt = new Date().toISOString();
  return progress;
}
