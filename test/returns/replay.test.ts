/**
 * Determinism guard for the return workflow (and the refunds-only run of an order's workflow id):
 * saved histories (test/histories/return-*.json, recorded by test/returns/record-histories.ts)
 * replay against today's workflow code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { temporalDataConverter } from '../../temporal/client';

// As for the orders: histories recorded from now on are encrypted with the dev key; the saved plain
// ones pass through the codec unchanged.
const DEV_CODEC = temporalDataConverter({ NODE_ENV: 'test', PAYLOAD_CODEC_KEYS: undefined, PAYLOAD_CODEC_ACTIVE_KEY: undefined });

const load = (file: string) => temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(file, 'utf8')));

const dir = path.join(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.startsWith('return-') && f.endsWith('.json'));

test('there are saved return histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test('every saved return history replays without a determinism error', async () => {
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  if (!bundlePath) throw new Error('WORKFLOW_BUNDLE_PATH is not set');
  const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: load(path.join(dir, f)) }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, dataConverter: DEV_CODEC }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
}, 60_000);
