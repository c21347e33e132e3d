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
  const problems = report.audit.problems.filter((p) => !/^email .* delivered \d+ times$/.test(p)); // see emailResendsExpected
  expect({ violations: violations(report), problems }).toEqual({ violations: [], problems: [] });
  // A SIGKILL between the relay's acceptance and the commit re-sends with the same Message-ID (the
  // sweeper resends what a dead sender left): never a different message, and at most one per order
  // that was being confirmed when the workers died — the clients keep at most `concurrency` orders
  // in flight. (The bound was 5 before the email outbox sent first attempts outside the workflow
  // task; CI runs then saw 7. SMTP cannot be exactly-once: receivers dedupe by Message-ID.)
  expect(report.audit.emailDuplicates).toBeLessThanOrEqual(concurrency);
  expect(report.audit.orders).toBe(report.audit.requests);
  expect(report.audit.requests).toBeGreaterThanOrEqual(Number(process.env.CHAOS_ORDERS ?? 300));
});
