/**
 * Replay: the inventory workflows' current code must reproduce the commands of saved histories
 * (recorded from real runs; refresh with `SAVE_HISTORIES=1 npx jest test/inventory/sync-workflow.test.ts`
 * only when a change is meant to be incompatible — and then version it with patched()).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // a runtime is already installed in this jest worker
  }
});

function bundle() {
  const codePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!codePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set: run through jest');
  return { codePath };
}

test.each(['inventory-sync', 'release-expired-holds'])('%s replays deterministically', async (name) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(__dirname, '..', 'histories', `${name}.binpb`)));
  await expect(Worker.runReplayHistory({ workflowBundle: bundle() }, history, `${name}-replay`)).resolves.toBeUndefined();
});
