/** The shipping workflows replay their saved histories (test/histories) without nondeterminism. */
import { Runtime, Worker } from '@temporalio/worker';
import { savedHistories } from '../support/shipping-histories';

beforeAll(() => {
  try {
    const noop = () => {};
    Runtime.install({ logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop }, telemetryOptions: {} });
  } catch {
    // a runtime is already installed in this jest worker
  }
});

test.each(['shippingQuote', 'shipmentTracking'])('%s replays every saved history', async (prefix) => {
  const histories = savedHistories(prefix);
  expect(histories.length).toBeGreaterThan(0);
  const codePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!codePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set: run through jest');
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, histories)) {
    expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({ workflowId: result.workflowId, error: undefined });
  }
});
