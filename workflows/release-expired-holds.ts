import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HoldSweepInput, HoldSweepResult } from '../activities/inventory/holds';

const { releaseOrphanedHolds } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * Safety net run by the `inventory-hold-sweep` Schedule (queue `sync`): releases stock holds past
 * their expiry that no running order workflow owns. Returns what it found; normally nothing.
 */
export async function releaseExpiredHolds(input: HoldSweepInput): Promise<HoldSweepResult> {
  return await releaseOrphanedHolds(input);
}
