/**
 * A time-skipping Temporal test server (durable timers of minutes or days run in a moment) for the
 * workflow tests that run their own Worker against it, with the SDK's logs quiet and the order and
 * return search attributes the workflows upsert registered.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTestServer } from '../../stack/binaries';
import { quietRuntime } from './quiet-runtime';

export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  // Failing attempts are the point of several of these tests: keep the SDK's warnings quiet.
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServer() } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: { OrderId: 2, CustomerId: 2, OrderStatus: 2, OrderTotal: 3, ReturnStatus: 2 }, // KEYWORD = 2, INT = 3
  });
  return env;
}
