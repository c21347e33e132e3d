/**
 * Determinism guard: saved histories of the order workflow (test/histories/order-*.json, recorded
 * by test/orders/record-histories.ts) replay against today's workflow code. A change that
 * would break running orders (reordered steps, a new activity call without versioning) fails here.
 */
import { replayFailures, savedHistoryFiles } from '../support/replay';

const files = savedHistoryFiles('order-');

test('there are saved order histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test('every saved order history replays without a determinism error', async () => {
  expect(await replayFailures(files)).toEqual([]);
}, 60_000);
