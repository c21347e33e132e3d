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
  const report = await runScenario(stack, def, { orders: Number(process.env.CHAOS_ORDERS ?? 300), concurrency: 32, log });
  expect({ violations: violations(report), problems: report.audit.problems }).toEqual({ violations: [], problems: [] });
  expect(report.audit.orders).toBe(report.audit.requests);
  expect(report.audit.requests).toBeGreaterThanOrEqual(Number(process.env.CHAOS_ORDERS ?? 300));
});
