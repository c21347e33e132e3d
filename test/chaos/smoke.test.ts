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
  // record — needs the kill to land in that window. Per SMTP connection of the killed worker's
  // pool (4) that is about two messages — one whose 250 the worker has not handled yet, one whose
  // record is in flight: 8. Measured: scenario 1 with two workers 0 in one run and 4 in the
  // next, with one worker 0; this smoke ≤ 3. A systematic re-send (what the claim/record fix
  // removed) hits every email in flight and more.
  expect(report.audit.emailResendsExplained).toBeLessThanOrEqual(8);
  expect(report.audit.orders).toBe(report.audit.requests);
  expect(report.audit.requests).toBeGreaterThanOrEqual(Number(process.env.CHAOS_ORDERS ?? 300));
});
