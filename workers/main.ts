/**
 * Worker process: polls the task queues in WORKER_TASK_QUEUES (all three in dev; one per
 * deployment in production, scaled with `docker compose up --scale worker=N`). The SDK runtime
 * exports its metrics for Prometheus and handles SIGINT/SIGTERM: workers stop polling, finish
 * in-flight tasks within the grace time, then `run()` resolves.
 */
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { closeActivityDeps, createActivityDeps } from '../activities/deps';
import { type Config, loadConfig } from '../config';
import { createLogger, type Logger } from '../observability/logger';
import { liveIndexSize } from '../search/index-size';
import { ensureSearchKey } from '../search/keys';
import { createTemporalClient, temporalDataConverter } from '../temporal/client';
import { ensureBackgroundWorkflows } from '../temporal/ensure-background';
import { temporalLogger } from '../temporal/logger';
import { startBackgroundLoops } from './background';
import { bundleWorkflows } from './bundle';
import { connectWithRetry, createWorkers, type QueueName } from './create-workers';

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
  const running = Promise.all(workers.map((w) => w.run()));
  if (queues.includes('sync')) void ensureBackground(config, logger);
  try {
    await running;
  } finally {
    await background.stop();
    await connection.close();
    await closeActivityDeps(deps);
    logger.info('worker stopped');
  }
}

/**
 * Ensures the search sync, the first index build and the hold-sweep schedule (see
 * ensureBackgroundWorkflows), and the Meilisearch search-only key the API searches with. Retried
 * with backoff: Temporal or Meilisearch may still be coming up when a worker starts, and a worker
 * must not run for hours without them.
 */
async function ensureBackground(config: Config, logger: Logger) {
  const { client, connection } = createTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
  });
  try {
    // The API searches with the search-only key derived from the master key; make sure it exists.
    await ensureSearchKey({ url: config.MEILI_URL, masterKey: config.MEILI_MASTER_KEY, indexPrefix: config.MEILI_INDEX_PREFIX }).catch(
      (err) => logger.warn({ err }, 'could not create the Meilisearch search-only key; the API cannot search until it exists'),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        const started = await ensureBackgroundWorkflows(client, config, () => liveIndexSize(config));
        logger.info(started, 'long-running workflows and schedules ensured');
        return;
      } catch (err) {
        const delayMs = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
        logger.warn({ err, attempt, retryInMs: delayMs }, 'could not ensure the long-running workflows and schedules; retrying');
        await new Promise((r) => setTimeout(r, delayMs).unref());
      }
    }
  } finally {
    await connection.close().catch(() => {});
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
