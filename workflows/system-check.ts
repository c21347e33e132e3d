import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SystemCheckResult } from '../activities/system';

const { checkDependencies } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/** Round trip through the server, a worker and its dependencies: the stack's end-to-end smoke check. */
export async function systemCheck(): Promise<SystemCheckResult> {
  return await checkDependencies();
}
