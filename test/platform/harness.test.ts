/** The harness itself: a real workflow on the real server, real activities against this run's services. */
import { startTestWorkers, type TestWorkers } from '../support/temporal';

let t: TestWorkers;
beforeAll(async () => {
  t = await startTestWorkers({ queues: ['orders'] });
});
afterAll(async () => t?.close());

test('systemCheck runs on the Temporal dev server and reaches Postgres, Redis and Meilisearch from the worker', async () => {
  const result = await t.client.workflow.execute('systemCheck', {
    taskQueue: t.queues.orders,
    workflowId: `system-check-${Date.now()}`,
    workflowExecutionTimeout: '30 seconds',
  });
  expect(result.workerPid).toBe(process.pid);
  expect(result.checks.postgres?.status).toBe('ok');
  expect(result.checks.redis?.status).toBe('ok');
  expect(result.checks.meilisearch?.status).toBe('ok');
});

test('the run has its own database, Redis prefix, index prefix and task queues', () => {
  expect(t.config.DATABASE_URL).toMatch(/\/cathay_test_[a-z0-9]+$/);
  expect(t.config.REDIS_KEY_PREFIX).toMatch(/^test:[a-z0-9]+:$/);
  expect(t.config.MEILI_INDEX_PREFIX).toMatch(/^t[a-z0-9]+_$/);
  expect(t.queues.orders).toMatch(/^t-[a-z0-9]+-harness-[0-9a-f]{6}-orders$/);
});
