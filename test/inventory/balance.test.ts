/**
 * The second half of the books: `reserved` equals the sum of held reservations, enforced by the
 * database at COMMIT (migration 0031) — not only audited after the fact.
 */
import { sql } from 'kysely';
import { createDb, type Db } from '../../db/connection';
import { releaseStock, reserveStock } from '../../db/queries/inventory';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { adjustStock, applySyncBatch, stageSyncJob } from '../../db/queries/inventory-ops';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';

let db: Db;
beforeAll(() => {
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 12, connectionTimeoutMillis: 30_000 });
});
afterAll(async () => db?.destroy());

const soon = () => new Date(Date.now() + 15 * 60_000);
const withReason = (reason: string) => sql`SELECT set_config('cathay.stock_reason', ${reason}, true)`;

describe('reserved = SUM(held reservations), checked at commit', () => {
  test('raising reserved without a reservation is refused at commit', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await expect(
      db.transaction().execute(async (trx) => {
        await withReason('reserve').execute(trx);
        await sql`UPDATE inventory_levels SET reserved = reserved + 2 WHERE sku = ${sku}`.execute(trx);
      }),
    ).rejects.toThrow(/reserved no longer equals the held reservations/);
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });

  test('a held reservation without reserved stock is refused; so is deleting or editing a held one', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await expect(
      sql`INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
          VALUES (${uniqueId('o-')}, ${sku}, 'wh-east', 1, 'held', now())`.execute(db),
    ).rejects.toThrow(/reserved no longer equals the held reservations/);
    const orderId = uniqueId('o-');
    expect((await reserveStock(db, orderId, [{ sku, quantity: 2 }], soon())).ok).toBe(true);
    await expect(sql`DELETE FROM reservations WHERE order_id = ${orderId}`.execute(db)).rejects.toThrow(/held reservations/);
    await expect(sql`UPDATE reservations SET quantity = 1 WHERE order_id = ${orderId}`.execute(db)).rejects.toThrow(/held reservations/);
    await expect(sql`UPDATE reservations SET status = 'released' WHERE order_id = ${orderId}`.execute(db)).rejects.toThrow(
      /held reservations/,
    );
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
    expect(await releaseStock(db, orderId, 'test')).toBe(1);
  });

  test('a hand-written change that keeps both sides equal is accepted (the rule is balance, not who writes)', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await db.transaction().execute(async (trx) => {
      await withReason('reserve').execute(trx);
      await sql`UPDATE inventory_levels SET reserved = reserved + 3 WHERE sku = ${sku}`.execute(trx);
      await sql`INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
                VALUES (${uniqueId('o-')}, ${sku}, 'wh-east', 3, 'held', now())`.execute(trx);
    });
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });

  test('reserve_stock is trusted only while it runs: a bad write after it in the same transaction is refused', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`SELECT reserve_stock(${uniqueId('o-')}, ${[sku]}::text[], ${[2]}::int[], now())`.execute(trx);
        await sql`UPDATE inventory_levels SET reserved = reserved + 1 WHERE sku = ${sku}`.execute(trx);
      }),
    ).rejects.toThrow(/reserved no longer equals the held reservations/);
    const level = await db.selectFrom('inventory_levels').select('reserved').where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(level.reserved).toBe(0);
  });

  test('after reserve_stock in the same transaction, changes are ledgered by the trigger again', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await db.transaction().execute(async (trx) => {
      await sql`SELECT reserve_stock(${uniqueId('o-')}, ${[sku]}::text[], ${[2]}::int[], now())`.execute(trx);
      await withReason('adjust').execute(trx);
      await sql`UPDATE inventory_levels SET on_hand = on_hand + 4 WHERE sku = ${sku}`.execute(trx);
    });
    const moves = await db
      .selectFrom('stock_movements')
      .select(['reason', 'delta_on_hand', 'delta_reserved'])
      .where('sku', '=', sku)
      .orderBy('id')
      .execute();
    expect(moves).toEqual([
      { reason: 'adjust', delta_on_hand: 5, delta_reserved: 0 },
      { reason: 'reserve', delta_on_hand: 0, delta_reserved: 2 },
      { reason: 'adjust', delta_on_hand: 4, delta_reserved: 0 },
    ]);
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });

  test('a rolled-back savepoint takes its part of the balance with it', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await db.transaction().execute(async (trx) => {
      await withReason('reserve').execute(trx);
      await sql`SAVEPOINT s`.execute(trx);
      await sql`UPDATE inventory_levels SET reserved = reserved + 1 WHERE sku = ${sku}`.execute(trx);
      await sql`ROLLBACK TO SAVEPOINT s`.execute(trx);
    });
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });
});

describe('referential integrity without foreign keys on the hot path (0033)', () => {
  test('ledger rows come from the ledger trigger only; reservations need a stock row; used stock rows stay', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 5 } });
    await expect(
      sql`INSERT INTO stock_movements (sku, location_id, delta_on_hand, delta_reserved, reason)
          VALUES (${sku}, 'wh-east', 1, 0, 'adjust')`.execute(db),
    ).rejects.toThrow(/written by the ledger trigger/);
    await expect(
      sql`INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
          VALUES (${uniqueId('o-')}, ${sku}, 'wh-nowhere', 1, 'released', now())`.execute(db),
    ).rejects.toThrow(/unknown stock row/);
    await expect(sql`DELETE FROM inventory_levels WHERE sku = ${sku}`.execute(db)).rejects.toThrow(/cannot be deleted/);
    // An unused stock row (never stocked, so no ledger) may go.
    const empty = await createProduct(db, { stock: { 'wh-west': 0 } });
    expect(Number((await sql`DELETE FROM inventory_levels WHERE sku = ${empty.sku}`.execute(db)).numAffectedRows)).toBe(1);
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });
});

describe('setting stock', () => {
  test('never below reserved, never clamped; locations resolved; outbox only on change', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 10 } });
    expect((await reserveStock(db, uniqueId('o-'), [{ sku, quantity: 4 }], soon())).ok).toBe(true);
    expect(await adjustStock(db, { sku, onHand: 3 })).toEqual({
      outcome: 'rejected',
      reason: 'below_reserved',
      locationId: 'wh-east',
      previous: 10,
      onHand: 10,
      reserved: 4,
    });
    expect(await adjustStock(db, { sku, onHand: 4 })).toMatchObject({ outcome: 'applied', previous: 10, onHand: 4 });
    expect(await adjustStock(db, { sku, onHand: 4 })).toMatchObject({ outcome: 'unchanged' });
    expect(await adjustStock(db, { sku: 'NOPE', onHand: 4 })).toEqual({ outcome: 'rejected', reason: 'unknown_sku' });
    expect(await adjustStock(db, { sku, onHand: 1, locationId: 'wh-west' })).toMatchObject({ outcome: 'applied', locationId: 'wh-west' });
    expect(await adjustStock(db, { sku, onHand: 1 })).toEqual({
      outcome: 'rejected',
      reason: 'location_required',
      locations: ['wh-east', 'wh-west'],
    });
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });

  test('a sync batch applied twice (retry), or by two attempts at once, changes nothing twice', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-east': 10 } });
    const jobId = uniqueId('job-');
    const items = Array.from({ length: 40 }, (_, i) => ({ sku, onHand: 20 + i }));
    await stageSyncJob(db, { jobId, workflowId: `wf-${jobId}`, items });
    const [a, b] = await Promise.all([
      applySyncBatch(db, { jobId, from: 0, to: 40, maxRejected: 10 }),
      applySyncBatch(db, { jobId, from: 0, to: 40, maxRejected: 10 }),
    ]);
    expect(a).toEqual(b);
    expect(a).toEqual({ processed: 40, applied: 40, unchanged: 0, rejectedCount: 0, rejected: [] });
    // Meanwhile stock shipped: a late retry of the batch must not set it back.
    await db.transaction().execute(async (trx) => {
      await withReason('adjust').execute(trx);
      await sql`UPDATE inventory_levels SET on_hand = on_hand - 5 WHERE sku = ${sku}`.execute(trx);
    });
    expect(await applySyncBatch(db, { jobId, from: 0, to: 40, maxRejected: 10 })).toEqual(a);
    const level = await db.selectFrom('inventory_levels').select('on_hand').where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(level.on_hand).toBe(59 - 5);
    const syncMoves = await db
      .selectFrom('stock_movements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sku', '=', sku)
      .where('reason', '=', 'sync')
      .executeTakeFirstOrThrow();
    expect(Number(syncMoves.n)).toBe(40);
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });
});

describe('reserve_stock fast path (sku at one location, migration 0032)', () => {
  test('500 concurrent 1-unit reservations against 100 on hand at one location: exactly 100', async () => {
    const { sku } = await createProduct(db, { stock: { 'wh-central': 100 } });
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => reserveStock(db, uniqueId(`f${i}-`), [{ sku, quantity: 1 }], soon())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    for (const r of results) if (!r.ok) expect(r.shortfalls).toEqual([{ index: 0, sku, requested: 1, available: 0 }]);
    const level = await db.selectFrom('inventory_levels').select(['on_hand', 'reserved']).where('sku', '=', sku).executeTakeFirstOrThrow();
    expect(level).toEqual({ on_hand: 100, reserved: 100 });
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  });

  test('a short fast-path line reports what is available and undoes the other lines and the outbox rows', async () => {
    const a = await createProduct(db, { stock: { 'wh-east': 5 } });
    const b = await createProduct(db, { stock: { 'wh-west': 2 } });
    const outbox = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('aggregate_id', 'in', [a.sku, b.sku])
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await outbox();
    const r = await reserveStock(
      db,
      uniqueId('o-'),
      [
        { sku: a.sku, quantity: 5 },
        { sku: b.sku, quantity: 3 },
      ],
      soon(),
    );
    expect(r).toEqual({ ok: false, shortfalls: [{ index: 1, sku: b.sku, requested: 3, available: 2 }] });
    expect(await outbox()).toBe(before);
    const ok = await reserveStock(db, uniqueId('o-'), [{ sku: b.sku, quantity: 2 }], soon());
    expect(ok.ok && ok.allocations).toEqual([{ line: 0, sku: b.sku, locationId: 'wh-west', quantity: 2 }]);
    expect(await outbox()).toBe(before + 1);
    expect(await ledgerImbalances(db, [a.sku, b.sku])).toEqual([]);
  });

  test('orders mixing one-location and several-location skus, in opposite orders, racing a sync: no deadlock, no oversell', async () => {
    const single = await Promise.all(Array.from({ length: 3 }, () => createProduct(db, { stock: { 'wh-east': 25 } })));
    const multi = await Promise.all(Array.from({ length: 2 }, () => createProduct(db, { stock: { 'wh-east': 10, 'wh-west': 10 } })));
    const skus = [...single, ...multi].map((p) => p.sku);
    const jobId = uniqueId('job-');
    await stageSyncJob(db, {
      jobId,
      workflowId: `wf-${jobId}`,
      items: Array.from({ length: 300 }, (_, i) => ({ sku: skus[i % skus.length] as string, onHand: 20 + (i % 7), locationId: 'wh-east' })),
    });
    const orders = Array.from({ length: 150 }, (_, i) => {
      const lines = skus.map((sku) => ({ sku, quantity: 1 + (i % 2) }));
      return i % 2 ? lines.reverse() : lines;
    });
    const [results] = await Promise.all([
      Promise.all(orders.map((lines, i) => reserveStock(db, uniqueId(`mx${i}-`), lines, soon()))),
      (async () => {
        for (let from = 0; from < 300; from += 30) await applySyncBatch(db, { jobId, from, to: from + 30, maxRejected: 0 });
      })(),
    ]);
    expect(results.some((r) => r.ok)).toBe(true);
    expect(results.some((r) => !r.ok)).toBe(true);
    const { rows } = await sql`SELECT sku FROM inventory_levels WHERE sku = ANY(${skus}::text[]) AND on_hand - reserved < 0`.execute(db);
    expect(rows).toEqual([]);
    expect(await ledgerImbalances(db, skus)).toEqual([]);
  });
});
