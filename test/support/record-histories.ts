/**
 * What the history recorders (test/orders/record-histories.ts, test/returns/record-histories.ts)
 * share: the test harness brought up and down around a recording, and a closed run's history
 * written to test/histories/ in the JSON form the replay tests read (test/support/replay.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb, type Db } from '../../db/connection';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { type OrderStack, startOrderStack } from './orders';

export function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`recording stopped: ${what}`);
}

/**
 * Writes the history of `workflowId` to test/histories/<file><tag>.json, after its run has
 * closed unless `waitForClose` is false.
 */
export async function saveHistory(stack: OrderStack, file: string, workflowId: string, opts: { tag: string; waitForClose?: boolean }) {
  const handle = stack.workers.client.workflow.getHandle(workflowId);
  if (opts.waitForClose ?? true) await handle.result().catch(() => undefined);
  const history = await handle.fetchHistory();
  const out = path.join(__dirname, '..', 'histories', `${file}${opts.tag}.json`);
  writeFileSync(out, JSON.stringify(history, null, 1));
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
}

/** Runs `record` against the test harness (own database, Temporal dev server, bundle), then exits. */
export function runRecorder(record: (stack: OrderStack, db: Db) => Promise<void>): void {
  const main = async () => {
    await globalSetup();
    const db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
    let stack: OrderStack | undefined;
    try {
      stack = await startOrderStack();
      await record(stack, db);
    } finally {
      await stack?.close();
      await db.destroy();
      await globalTeardown();
    }
  };
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
