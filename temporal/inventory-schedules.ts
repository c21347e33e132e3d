import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { type Config, taskQueues } from '../config';
import { releaseExpiredHolds } from '../workflows/release-expired-holds';

type SweepConfig = Pick<Config, 'TEMPORAL_TASK_QUEUE_PREFIX' | 'HOLD_SWEEP_INTERVAL_SECONDS' | 'HOLD_SWEEP_GRACE_SECONDS'>;

/** Schedule id of the expired-holds safety net (prefixed like the task queues, for test isolation). */
export function holdSweepScheduleId(config: Pick<Config, 'TEMPORAL_TASK_QUEUE_PREFIX'>): string {
  return `${config.TEMPORAL_TASK_QUEUE_PREFIX}inventory-hold-sweep`;
}

function desired(config: SweepConfig) {
  return {
    // Literal types (`as const`): with @types/ms hoisted, a plain `string` is not a Duration.
    spec: { intervals: [{ every: `${config.HOLD_SWEEP_INTERVAL_SECONDS}s` as const }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: releaseExpiredHolds,
      workflowId: `${holdSweepScheduleId(config)}-run`,
      taskQueue: taskQueues(config).sync,
      args: [{ graceSeconds: config.HOLD_SWEEP_GRACE_SECONDS, limit: 500 }] satisfies Parameters<typeof releaseExpiredHolds>,
      workflowExecutionTimeout: '10 minutes' as const,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' as const, pauseOnFailure: false },
  };
}

/**
 * Creates the safety-net Schedule, or brings an existing one to the configured interval and
 * arguments. Idempotent: `npm run dev` (stack step) and tests call it freely.
 */
export async function ensureHoldSweepSchedule(client: Client, config: SweepConfig): Promise<'created' | 'updated'> {
  const scheduleId = holdSweepScheduleId(config);
  const want = desired(config);
  try {
    await client.schedule.create({ scheduleId, ...want });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, ...want }));
  return 'updated';
}
