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
  // No unexplained re-send (a violation above). An explained one — a copy with the same Message-ID
  // sent again after its first sender was SIGKILLed between the relay's acceptance and its record —
  // needs the kill to land in that window: at most the emails one worker had between send and
  // record at the kill (~30 emails/s at this load, a record round trip of 25–70 ms of event-loop
  // lag: one or two), PROVISIONAL
  expect(report.audit.emailResendsExplained).toBeLessThanOrEqual(3);
  expect(report.audit.orders).toBe(report.audit.requests);
  expect(report.audit.requests).toBeGreaterThanOrEqual(Number(process.env.CHAOS_ORDERS ?? 300));
});
