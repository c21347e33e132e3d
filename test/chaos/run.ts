/**
 * `npm run test:chaos`: starts the chaos stack (test/chaos/stack.ts) once and runs the scenarios
 * (CHAOS_SCENARIOS=1,3 to choose; CHAOS_ORDERS per scenario, default 300; CHAOS_CLIENTS, default
 * 32; CHAOS_WORKERS, default 2), printing one JSON line per scenario and a table at the end. Writes
 * the reports to .data/chaos/<run>/report.json. Exit code 1 when any audit finds a violation.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { runScenario, SCENARIOS, type ScenarioReport, violations } from './scenarios';
import { CHAOS_STACK_ENV } from './settings';
import { startChaosStack } from './stack';

const t0 = Date.now();
const log = (m: string) => console.log(`[chaos +${((Date.now() - t0) / 1000).toFixed(0)}s load ${loadavg()[0]?.toFixed(1)}] ${m}`);

async function main() {
  const wanted = (process.env.CHAOS_SCENARIOS ?? '1,2,3,4,5,6,7,8').split(',').map(Number);
  const orders = Number(process.env.CHAOS_ORDERS ?? 300);
  const concurrency = Number(process.env.CHAOS_CLIENTS ?? 32);
  const stack = await startChaosStack({ workers: Number(process.env.CHAOS_WORKERS ?? 2), env: CHAOS_STACK_ENV, log });
  log(`stack up in ${stack.dir}`);
  const reports: ScenarioReport[] = [];
  let failed = 0;
  try {
    for (const def of SCENARIOS.filter((s) => wanted.includes(s.id))) {
      const r = await runScenario(stack, def, { orders, concurrency, log });
      const v = violations(r);
      if (v.length) failed++;
      reports.push(r);
      console.log(JSON.stringify({ chaos: r.id, verdict: v.length ? 'FAIL' : 'PASS', violations: v, ...r, loadavg1m: loadavg()[0] }));
      writeFileSync(path.join(stack.dir, 'report.json'), JSON.stringify(reports, null, 2));
    }
  } finally {
    await stack.stop();
  }
  console.log(
    '\n| # | scenario | orders | lost | duplicated | double-charged | oversold | ledger drift | emails twice (unexplained / explained) | recovery (s) | verdict |',
  );
  console.log('| - | - | - | - | - | - | - | - | - | - | - |');
  for (const r of reports) {
    const a = r.audit;
    console.log(
      `| ${r.id} | ${r.name} | ${a.orders} | ${a.lost} | ${a.duplicated} | ${a.doubleCharged + a.doubleAuthorized} | ${a.oversold} | ${a.ledgerDrift} | ${a.emailDuplicates} / ${a.emailResendsExplained} | ${(r.recoverMs / 1000).toFixed(1)} | ${violations(r).length ? `FAIL ${violations(r).join(' ')}` : 'PASS'} |`,
    );
  }
  log(`done in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
