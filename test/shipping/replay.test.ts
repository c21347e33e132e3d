/** The shipping workflows replay their saved histories (test/histories) without nondeterminism. */
import { Worker } from '@temporalio/worker';
import { quietRuntime } from '../support/quiet-runtime';
import { savedHistories } from '../support/shipping-histories';

beforeAll(quietRuntime);

test.each(['shippingQuote', 'shipmentTracking'])('%s replays every saved history', async (prefix) => {
  const histories = savedHistories(prefix);
  expect(histories.length).toBeGreaterThan(0);
  const codePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!codePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set: run through jest');
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, histories)) {
    expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({ workflowId: result.workflowId, error: undefined });
  }
});
