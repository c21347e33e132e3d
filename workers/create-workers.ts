import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { taskQueues } from '../config';
import { temporalDataConverter } from '../temporal/client';

export type QueueName = keyof ReturnType<typeof taskQueues>;

/**
 * Workflow task polling. A new workflow's first task (for an order: the whole path to
 * `confirmed`) is on the normal queue; only later tasks go to this worker's sticky queue. The
 * SDK's default (10 pollers, ratio 0.2) leaves 2 on the normal queue, so under a burst of new
 * orders the normal queue often has no poller waiting and the server writes the task to its
 * database and reads it back (CreateTasks/GetTasks on the dev server's single SQLite shard)
 * instead of handing it over. 16 × 0.5 = 8 normal + 8 sticky (the sticky side as before). In
 * bench/orders at 32 clients, CreateTasks per order fell from 0.8–0.9 to 0.3 (one database write
 * fewer for most orders); throughput did not move — it is set elsewhere (docs/benchmarks.md).
 */
export const WORKFLOW_POLLING: Pick<WorkerOptions, 'maxConcurrentWorkflowTaskPolls' | 'nonStickyToStickyPollRatio'> = {
  maxConcurrentWorkflowTaskPolls: 16,
  nonStickyToStickyPollRatio: 0.5,
};

/** One Worker per task queue, sharing a connection, the workflow bundle and the activities. */
export async function createWorkers(opts: {
  connection: NativeConnection;
  namespace: string;
  queues: QueueName[];
  workflowBundle: NonNullable<WorkerOptions['workflowBundle']>;
  deps: ActivityDeps;
}): Promise<Worker[]> {
  const names = taskQueues(opts.deps.config);
  const activities = createActivities(opts.deps);
  // Payloads encrypted like the clients' (temporal/payload-codec.ts); plain ones still decode.
  const dataConverter = temporalDataConverter(opts.deps.config);
  return Promise.all(
    opts.queues.map((q) =>
      Worker.create({
        connection: opts.connection,
        namespace: opts.namespace,
        taskQueue: names[q],
        workflowBundle: opts.workflowBundle,
        activities,
        dataConverter,
        // Sized for a 2-core box: enough slots to keep the dev server busy, not enough to thrash.
        maxConcurrentActivityTaskExecutions: 100,
        maxConcurrentWorkflowTaskExecutions: 40,
        ...WORKFLOW_POLLING,
        shutdownGraceTime: '10 seconds',
      }),
    ),
  );
}

/** Connects to Temporal, retrying while the server is still starting. */
export async function connectWithRetry(address: string, timeoutMs = 60_000): Promise<NativeConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await NativeConnection.connect({ address });
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`could not connect to Temporal at ${address}`, { cause: err });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
