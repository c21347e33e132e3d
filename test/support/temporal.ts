import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { type ActivityDeps, closeActivityDeps, createActivityDeps } from '../../activities/deps';
import { type Config, taskQueues } from '../../config';
import { createLogger } from '../../observability/logger';
import { temporalDataConverter } from '../../temporal/client';
import { startBackgroundLoops } from '../../workers/background';
import { createWorkers, type QueueName } from '../../workers/create-workers';
import { testConfig } from './config';
import { quietRuntime } from './quiet-runtime';

export interface TestWorkers {
  config: Config;
  client: Client;
  deps: ActivityDeps;
  queues: ReturnType<typeof taskQueues>;
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Real workers (the run's shared workflow bundle, real activities against the test database)
 * polling this run's task queues on the run's Temporal server, plus a client.
 * `overrides` change the configuration (e.g. point PAYMENT_URL at a sandbox of the test's own).
 */
export async function startTestWorkers(
  opts: {
    queues?: QueueName[];
    overrides?: Record<string, string>;
    activityDeps?: (d: ActivityDeps) => ActivityDeps;
    /** Also run the worker's background loops (the cache invalidator) when polling `sync`. */
    backgroundLoops?: boolean;
  } = {},
): Promise<TestWorkers> {
  quietRuntime();
  const config = testConfig(opts.overrides);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'test-worker' });
  const baseDeps = createActivityDeps(config, logger);
  const deps = opts.activityDeps ? opts.activityDeps(baseDeps) : baseDeps;
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set: run tests through jest (global setup)');
  const workers = await createWorkers({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    queues: opts.queues ?? ['orders', 'shipping', 'sync'],
    workflowBundle: { codePath: bundlePath },
    deps,
  });
  const running = workers.map((w) => w.run());
  // As in workers/main.ts, the process polling `sync` may also run the cache invalidator — only on
  // request here: every test file shares the run's outbox, and an invalidator of one file would
  // consume (and mark done) the rows another file's invalidator is waiting for.
  const background = opts.backgroundLoops
    ? startBackgroundLoops(deps, opts.queues ?? ['orders', 'shipping', 'sync'])
    : { stop: async () => {} };
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: temporalDataConverter(config) });
  return {
    config,
    client,
    deps,
    queues: taskQueues(config),
    workers,
    async close() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(running);
      await background.stop();
      await connection.close();
      await nativeConnection.close();
      await closeActivityDeps(deps);
    },
  };
}

export { createActivities };
