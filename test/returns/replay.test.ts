/**
 * Determinism guard for the return workflow (and the refunds-only run of an order's workflow id):
 * saved histories (test/histories/return-*.json, recorded by test/returns/record-histories.ts)
 * replay against today's workflow code.
 */
import { replayFailures, savedHistoryFiles } from '../support/replay';

const files = savedHistoryFiles('return-');

test('there are saved return histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test('every saved return history replays without a determinism error', async () => {
  expect(await replayFailures(files)).toEqual([]);
}, 60_000);
