import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { taskQueues } from '../config';

export type QueueName = keyof ReturnType<typeof taskQueues>;

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
  return Promise.all(
    opts.queues.map((q) =>
      Worker.create({
        connection: opts.connection,
        namespace: opts.namespace,
        taskQueue: names[q],
        workflowBundle: opts.workflowBundle,
        activities,
        // Sized for a 2-core box: enough slots to keep the dev server busy, not enough to thrash.
        maxConcurrentActivityTaskExecutions: 100,
        maxConcurrentWorkflowTaskExecutions: 40,
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
