/**
 * Determinism guard: saved histories of the order workflow (test/histories/order-*.json, recorded
 * by test/orders/record-histories.ts) replay against today's workflow code. A change that
 * would break running orders (reordered steps, a new activity call without versioning) fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { temporalDataConverter } from '../../temporal/client';

// Histories recorded from now on (npm run record:histories) are encrypted with the dev key; the
// saved ones are plain and pass through the codec unchanged (temporal/payload-codec.ts).
const DEV_CODEC = temporalDataConverter({ NODE_ENV: 'test', PAYLOAD_CODEC_KEYS: undefined, PAYLOAD_CODEC_ACTIVE_KEY: undefined });

/**
 * The files are protobufjs' JSON form (JSON.stringify of fetchHistory()); fromObject turns them
 * back into a History (historyFromJSON trips over jest's module registry: "type must be a Type").
 */
const load = (file: string) => temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(file, 'utf8')));

const dir = path.join(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.startsWith('order-') && f.endsWith('.json'));

test('there are saved order histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test('every saved order history replays without a determinism error', async () => {
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set');
  const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: load(path.join(dir, f)) }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, dataConverter: DEV_CODEC }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
}, 60_000);
