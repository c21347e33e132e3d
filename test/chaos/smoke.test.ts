/**
 * The chaos suite's smoke inside `npm test` (and so `.ci/run`): scenario 1 — every worker killed
 * with SIGKILL mid-load, one back after 10 s — with 300 orders from retrying clients, and the
 * full audit. The whole suite is `npm run test:chaos`.
 */
import { runScenario, SCENARIOS, violations } from './scenarios';
import { CHAOS_STACK_ENV } from './settings';
import { type ChaosStack, startChaosStack } from './stack';

jest.setTimeout(4 * 60_000);

let stack: ChaosStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

test('orders survive every worker being SIGKILLed: nothing lost, doubled, double-charged or oversold', async () => {
  const log = process.env.CHAOS_VERBOSE ? (m: string) => process.stdout.write(`${m}\n`) : () => {};
  stack = await startChaosStack({ workers: 1, env: CHAOS_STACK_ENV, log });
  const def = SCENARIOS.find((s) => s.id === 1);
  if (!def) throw new Error('scenario 1 missing');
  const concurrency = 32;
  const report = await runScenario(stack, def, { orders: Number(process.env.CHAOS_ORDERS ?? 300), concurrency, log });
  expect({ violations: violations(report), problems: report.audit.problems }).toEqual({ violations: [], problems: [] });
  // No unexplained re-send (a violation above). An explained one — the same Message-ID sent again
  // because its first sender was SIGKILLed after the relay accepted and before its one-statement
  // record — needs the kill to land in that window: the emails the worker had between the relay's
  // 250 and the record's answer at that instant (one round trip on a held connection; a few tens
  // of ms of event-loop lag under this load, ~30 emails/s), so zero to two. Scenario 1 with two
  // workers saw 0 (12 dead claims re-sent, none had reached the relay). 3 leaves room for an
  // unlucky kill without hiding a systematic re-send, which would be in the tens.
  expect(report.audit.emailResendsExplained).toBeLessThanOrEqual(3);
  expect(report.audit.orders).toBe(report.audit.requests);
  expect(report.audit.requests).toBeGreaterThanOrEqual(Number(process.env.CHAOS_ORDERS ?? 300));
});
