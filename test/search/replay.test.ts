/**
 * Determinism guard: the saved histories of searchSync and searchReindex (test/histories/*.history.bin, protobuf, written
 * by `SAVE_HISTORIES=1 npx jest test/search/sync.test.ts`) must replay against today's workflow
 * code. A change that would break running workflows fails here instead of in production.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const HISTORIES = ['search-sync', 'search-reindex'];

test.each(HISTORIES)('%s history replays without nondeterminism', async (name) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(__dirname, '..', 'histories', `${name}.history.bin`)));
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set: run through jest');
  expect(history.events?.length).toBeGreaterThan(5);
  await Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, history, `${name}-replay`);
});
