/**
 * The inventorySync workflow and the expired-holds safety net, on the run's Temporal server with
 * real workers and the real database: a bulk sync racing live reservations, progress while
 * running, and the sweep releasing only holds no running order workflow owns.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Db } from '../../db/connection';
import { reserveStock } from '../../db/queries/inventory';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { stageSyncJob } from '../../db/queries/inventory-ops';
import { ensureHoldSweepSchedule, holdSweepScheduleId } from '../../temporal/inventory-schedules';
import { inventorySync, inventorySyncProgressQuery, inventorySyncWorkflowId } from '../../workflows/inventory-sync';
import { releaseExpiredHolds } from '../../workflows/release-expired-holds';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

let db: Db;
let w: TestWorkers;
beforeAll(async () => {
  // Modest pools: the Postgres server is shared by every test file running at the same time.
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 12, connectionTimeoutMillis: 30_000 });
  w = await startTestWorkers({ queues: ['sync'], overrides: { DATABASE_POOL_MAX: '5' } });
});
afterAll(async () => {
  await w?.close();
  await db?.destroy();
});

async function startSync(items: Array<{ sku: string; onHand: number; locationId?: 'wh-east' | 'wh-west' }>, batchSize: number) {
  const jobId = uniqueId('job-');
  const workflowId = inventorySyncWorkflowId(jobId);
  await stageSyncJob(db, { jobId, workflowId, items });
  const handle = await w.client.workflow.start(inventorySync, {
    workflowId,
    taskQueue: w.queues.sync,
    args: [{ jobId, total: items.length, batchSize }],
  });
  return { jobId, handle };
}

/** `SAVE_HISTORIES=1 npx jest test/inventory/sync-workflow.test.ts` refreshes the replay fixtures. */
async function maybeSaveHistory(handle: WorkflowHandle, name: string) {
  if (!process.env.SAVE_HISTORIES) return;
  const dir = path.join(__dirname, '..', 'histories');
  mkdirSync(dir, { recursive: true });
  // Binary protobuf: exact, compact, and independent of JSON mapping quirks.
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
  writeFileSync(path.join(dir, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

/** A deterministic pseudo-random sequence (no flaky seeds). */
function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

test('a 10k-row sync racing 200 orders: ledger balanced, never negative, never clamped, last applied row wins', async () => {
  const products = [];
  for (let i = 0; i < 200; i += 20) {
    products.push(...(await Promise.all(Array.from({ length: 20 }, () => createProduct(db, { stock: { 'wh-east': 30 } })))));
  }
  const skus = products.map((p) => p.sku);
  const rand = rng(42);
  const items = Array.from({ length: 10_000 }, (_, i) => ({ sku: skus[i % skus.length] as string, onHand: rand(40) }));
  const soon = new Date(Date.now() + 15 * 60_000);

  const { jobId, handle } = await startSync(items, 250);
  const orders = Array.from({ length: 200 }, (_, i) => {
    const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
      sku: skus[(i * 7 + k * 13) % skus.length] as string,
      quantity: 1 + rand(5),
    }));
    return { orderId: uniqueId(`race${i}-`), lines };
  });
  const results = await Promise.all(
    orders.map(async (o, i) => {
      await new Promise((r) => setTimeout(r, (i % 50) * 20)); // spread over the sync's run
      return reserveStock(db, o.orderId, o.lines, soon);
    }),
  );
  const progress = await handle.result();

  expect(progress).toMatchObject({ jobId, total: 10_000, processed: 10_000 });
  expect(progress.applied + progress.unchanged + progress.rejectedCount).toBe(10_000);
  for (const r of progress.rejected) expect(r.reason).toBe('below_reserved');
  expect(results.some((r) => r.ok)).toBe(true);

  expect(await ledgerImbalances(db, skus)).toEqual([]);
  const { rows: bad } =
    await sql`SELECT sku FROM inventory_levels WHERE sku = ANY(${skus}::text[]) AND (reserved < 0 OR on_hand - reserved < 0)`.execute(db);
  expect(bad).toEqual([]);

  // Each sku ends at the value of its last row that was applied (a rejected row changed nothing).
  const { rows: lastApplied } = await sql<{ sku: string; on_hand: number }>`
    SELECT DISTINCT ON (sku) sku, on_hand FROM sync_job_rows
     WHERE job_id = ${jobId} AND outcome IN ('applied', 'unchanged') ORDER BY sku, idx DESC`.execute(db);
  const levels = await db.selectFrom('inventory_levels').select(['sku', 'on_hand', 'reserved']).where('sku', 'in', skus).execute();
  const bySku = new Map(levels.map((l) => [l.sku, l]));
  expect(lastApplied.length).toBeGreaterThan(0);
  for (const row of lastApplied) expect(bySku.get(row.sku)?.on_hand).toBe(row.on_hand);
  // Rejected rows really were below what was reserved when they were applied: reserved never shrinks
  // during the run (no release), so a rejected value is below the final reserved quantity.
  const { rows: rejected } = await sql<{ sku: string; on_hand: number }>`
    SELECT sku, on_hand FROM sync_job_rows WHERE job_id = ${jobId} AND outcome = 'rejected'`.execute(db);
  expect(rejected.length).toBe(progress.rejectedCount);
  for (const r of rejected) expect(r.on_hand).toBeLessThan(bySku.get(r.sku)?.reserved ?? 0);
}, 120_000);

test('progress is queryable while the sync runs', async () => {
  const a = await createProduct(db, { stock: { 'wh-east': 1 } });
  const b = await createProduct(db, { stock: { 'wh-east': 1 } });
  const items = [
    ...Array.from({ length: 10 }, (_, i) => ({ sku: a.sku, onHand: 10 + i })),
    { sku: 'NO-SUCH-SKU', onHand: 1 },
    ...Array.from({ length: 9 }, (_, i) => ({ sku: b.sku, onHand: 10 + i })),
  ];
  // Hold b's row so the second batch waits: the workflow is observably mid-way.
  const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM inventory_levels WHERE sku = $1 FOR UPDATE', [b.sku]);
    const { handle } = await startSync(items, 10);
    let progress = await handle.query(inventorySyncProgressQuery);
    for (let i = 0; progress.processed < 10 && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = await handle.query(inventorySyncProgressQuery);
    }
    expect(progress).toMatchObject({ total: 20, processed: 10, applied: 10, rejectedCount: 0 });
    expect(progress.finishedAt).toBeUndefined();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await blocker.query('COMMIT');
    const done = await handle.result();
    expect(done).toMatchObject({
      total: 20,
      processed: 20,
      applied: 19,
      rejectedCount: 1,
      rejected: [{ index: 10, sku: 'NO-SUCH-SKU', reason: 'unknown_sku' }],
    });
    expect(done.finishedAt).toEqual(expect.any(String));
    await maybeSaveHistory(handle, 'inventory-sync');
  } finally {
    await blocker.end();
  }
});

describe('safety net for expired holds', () => {
  const past = () => new Date(Date.now() - 60 * 60_000);
  async function status(orderId: string) {
    return (await db.selectFrom('reservations').select('status').where('order_id', '=', orderId).executeTakeFirstOrThrow()).status;
  }

  test('releases an orphaned expired hold, leaves a running order workflow’s hold and unexpired holds alone', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 10 } });
    const orphan = uniqueId('o-');
    const owned = uniqueId('o-');
    const fresh = uniqueId('o-');
    expect((await reserveStock(db, orphan, [{ sku, quantity: 2 }], past())).ok).toBe(true);
    expect((await reserveStock(db, owned, [{ sku, quantity: 3 }], past())).ok).toBe(true);
    expect((await reserveStock(db, fresh, [{ sku, quantity: 1 }], new Date(Date.now() + 60 * 60_000))).ok).toBe(true);
    // A running `order-{id}` workflow (nobody polls its queue, so it just stays running).
    const owner = await w.client.workflow.start('orderPlaceholder', { workflowId: `order-${owned}`, taskQueue: `${w.queues.sync}-nobody` });

    const sweep = await w.client.workflow.start(releaseExpiredHolds, {
      workflowId: uniqueId('sweep-'),
      taskQueue: w.queues.sync,
      args: [{ graceSeconds: 0, limit: 500 }],
    });
    const first = await sweep.result();
    await maybeSaveHistory(sweep, 'release-expired-holds');
    expect(first.releasedOrderIds).toContain(orphan);
    expect(first.releasedOrderIds).not.toContain(owned);
    expect(first.ownedByRunningWorkflow).toBeGreaterThanOrEqual(1);
    expect([await status(orphan), await status(owned), await status(fresh)]).toEqual(['released', 'held', 'held']);

    // The owner ends without releasing: now the hold is orphaned and the next sweep takes it.
    await owner.terminate('test: order workflow gone');
    const second = await w.client.workflow.execute(releaseExpiredHolds, {
      workflowId: uniqueId('sweep-'),
      taskQueue: w.queues.sync,
      args: [{ graceSeconds: 0, limit: 500 }],
    });
    expect(second.releasedOrderIds).toContain(owned);
    expect(second.releasedOrderIds).not.toContain(orphan); // already released: once only
    expect([await status(owned), await status(fresh)]).toEqual(['released', 'held']);
    const level = await db.selectFrom('inventory_levels').select(['on_hand', 'reserved']).where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(level).toEqual({ on_hand: 10, reserved: 1 });
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });

  test('the Schedule is created idempotently and its runs release orphaned holds', async () => {
    const config = { ...w.config, HOLD_SWEEP_INTERVAL_SECONDS: 3600 };
    const scheduleId = holdSweepScheduleId(config);
    try {
      expect(await ensureHoldSweepSchedule(w.client, config)).toBe('created');
      expect(await ensureHoldSweepSchedule(w.client, { ...config, HOLD_SWEEP_INTERVAL_SECONDS: 1800 })).toBe('updated');
      const handle = w.client.schedule.getHandle(scheduleId);
      const d = await handle.describe();
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'releaseExpiredHolds', taskQueue: w.queues.sync });
      expect(d.spec.intervals?.[0]?.every).toBe(1_800_000);

      const { sku } = await createProduct(db, { stock: { 'wh-east': 4 } });
      const orphan = uniqueId('o-');
      expect((await reserveStock(db, orphan, [{ sku, quantity: 4 }], past())).ok).toBe(true);
      await handle.trigger();
      for (let i = 0; i < 300 && (await status(orphan)) === 'held'; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await status(orphan)).toBe('released');
    } finally {
      await w.client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });

  test('an order workflow id that Temporal does not know counts as gone', async () => {
    await expect(w.client.workflow.getHandle(`order-${uniqueId('never-')}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});
