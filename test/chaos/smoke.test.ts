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
  const problems = report.audit.problems.filter((p) => !/^email .* delivered \d+ times$/.test(p)); // see emailResendsExpected
  expect({ violations: violations(report), problems }).toEqual({ violations: [], problems: [] });
  // A SIGKILL between the relay's acceptance and the commit re-sends with the same Message-ID:
  // rare (a few in 300), never a different message.
  expect(report.audit.emailDuplicates).toBeLessThanOrEqual(5);
  expect(report.audit.orders).toBe(report.audit.requests);
  expect(report.audit.requests).toBeGreaterThanOrEqual(Number(process.env.CHAOS_ORDERS ?? 300));
});
