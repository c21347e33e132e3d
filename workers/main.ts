/**
 * Worker process: polls the task queues in WORKER_TASK_QUEUES (all three in dev; one per
 * deployment in production, scaled with `docker compose up --scale worker=N`). The SDK runtime
 * exports its metrics for Prometheus and handles SIGINT/SIGTERM: workers stop polling, finish
 * in-flight tasks within the grace time, then `run()` resolves.
 */
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { closeActivityDeps, createActivityDeps } from '../activities/deps';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { startBackgroundLoops } from './background';
import { bundleWorkflows } from './bundle';
import { connectWithRetry, createWorkers, type QueueName } from './create-workers';
import { temporalLogger } from './temporal-logger';

const QueueList = z.array(z.enum(['orders', 'shipping', 'sync'])).min(1);

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'worker' });
  const queues: QueueName[] = QueueList.parse(config.WORKER_TASK_QUEUES.split(',').map((s) => s.trim()));

  Runtime.install({
    logger: temporalLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: { prometheus: { bindAddress: `${config.HOST}:${config.WORKER_METRICS_PORT}` } },
    },
  });

  const started = Date.now();
  const [connection, workflowBundle] = await Promise.all([
    connectWithRetry(config.TEMPORAL_ADDRESS),
    bundleWorkflows(temporalLogger(logger)),
  ]);
  const deps = createActivityDeps(config, logger);
  const workers = await createWorkers({ connection, namespace: config.TEMPORAL_NAMESPACE, queues, workflowBundle, deps });
  const background = startBackgroundLoops(deps, queues);
  logger.info(
    { queues, ms: Date.now() - started, metrics: `http://${config.HOST}:${config.WORKER_METRICS_PORT}/metrics` },
    'worker running',
  );
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await background.stop();
    await connection.close();
    await closeActivityDeps(deps);
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
