/**
 * The inventory core against real Postgres, really concurrent: many pool connections racing for
 * the same rows. The invariants checked after every scenario: no negative availability, levels
 * equal their ledger, reserved equals the held reservations.
 */
import { sql } from 'kysely';
import { createDb, type Db } from '../../db/connection';
import { commitStock, releaseStock, reserveStock } from '../../db/queries/inventory';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';

let db: Db;
beforeAll(() => {
  // 500 requests queue for 25 connections (the server is shared by the test files running at the
  // same time); on a loaded 2-core box the default 2 s pool wait is too tight.
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 25, connectionTimeoutMillis: 30_000 });
});
afterAll(async () => db?.destroy());

const soon = () => new Date(Date.now() + 15 * 60_000);

async function levels(sku: string) {
  return db
    .selectFrom('inventory_levels')
    .select(['location_id', 'on_hand', 'reserved'])
    .where('sku', '=', sku)
    .orderBy('location_id')
    .execute();
}
async function totals(sku: string) {
  const rows = await levels(sku);
  return { onHand: rows.reduce((a, r) => a + r.on_hand, 0), reserved: rows.reduce((a, r) => a + r.reserved, 0) };
}

test('500 concurrent 1-unit reservations against 100 on hand: exactly 100 succeed, books balance', async () => {
  const { sku } = await createProduct(db, { stock: { 'wh-east': 40, 'wh-central': 35, 'wh-west': 25 } });
  const results = await Promise.all(
    Array.from({ length: 500 }, (_, i) => reserveStock(db, uniqueId(`o${i}-`), [{ sku, quantity: 1 }], soon())),
  );
  const ok = results.filter((r) => r.ok);
  const short = results.filter((r) => !r.ok);
  expect(ok).toHaveLength(100);
  expect(short).toHaveLength(400);
  for (const r of short) if (!r.ok) expect(r.shortfalls).toEqual([{ index: 0, sku, requested: 1, available: 0 }]);
  expect(await totals(sku)).toEqual({ onHand: 100, reserved: 100 });
  for (const l of await levels(sku)) expect(l.reserved).toBe(l.on_hand);
  expect(await ledgerImbalances(db, [sku])).toEqual([]);
});

test('multi-line is all or nothing: a short second line leaves the first untouched', async () => {
  const a = await createProduct(db, { stock: { 'wh-east': 10 } });
  const b = await createProduct(db, { stock: { 'wh-east': 1, 'wh-west': 1 } });
  const orderId = uniqueId('o-');
  const r = await reserveStock(
    db,
    orderId,
    [
      { sku: a.sku, quantity: 3 },
      { sku: b.sku, quantity: 5 },
    ],
    soon(),
  );
  expect(r).toEqual({ ok: false, shortfalls: [{ index: 1, sku: b.sku, requested: 5, available: 2 }] });
  expect(await totals(a.sku)).toEqual({ onHand: 10, reserved: 0 });
  expect(await totals(b.sku)).toEqual({ onHand: 2, reserved: 0 });
  expect(await db.selectFrom('reservations').select('id').where('order_id', '=', orderId).execute()).toEqual([]);
  expect(await ledgerImbalances(db, [a.sku, b.sku])).toEqual([]);
});

test('every short line is reported with its own index, in request order', async () => {
  const a = await createProduct(db, { sku: uniqueId('Z-'), stock: { 'wh-east': 1 } });
  const b = await createProduct(db, { sku: uniqueId('A-'), stock: { 'wh-east': 0 } });
  const r = await reserveStock(
    db,
    uniqueId('o-'),
    [
      { sku: a.sku, quantity: 2 },
      { sku: b.sku, quantity: 1 },
    ],
    soon(),
  );
  expect(r).toEqual({
    ok: false,
    shortfalls: [
      { index: 0, sku: a.sku, requested: 2, available: 1 },
      { index: 1, sku: b.sku, requested: 1, available: 0 },
    ],
  });
});

test('prefers one location that can ship the whole line, splits only when none can', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 4, 'wh-central': 6, 'wh-west': 5 } });
  const whole = await reserveStock(db, uniqueId('o-'), [{ sku: p.sku, quantity: 5 }], soon());
  expect(whole.ok && whole.allocations).toEqual([{ line: 0, sku: p.sku, locationId: 'wh-central', quantity: 5 }]);
  // Now east 4, central 1, west 5 available: 9 needs a split, fullest first.
  const split = await reserveStock(db, uniqueId('o-'), [{ sku: p.sku, quantity: 9 }], soon());
  expect(split.ok && split.allocations).toEqual([
    { line: 0, sku: p.sku, locationId: 'wh-west', quantity: 5 },
    { line: 0, sku: p.sku, locationId: 'wh-east', quantity: 4 },
  ]);
  expect(await totals(p.sku)).toEqual({ onHand: 15, reserved: 14 });
  expect(await ledgerImbalances(db, [p.sku])).toEqual([]);
});

test('retries and concurrent duplicates of one order reserve once; release and commit are idempotent', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 10 } });
  const orderId = uniqueId('o-');
  const attempts = await Promise.all(Array.from({ length: 20 }, () => reserveStock(db, orderId, [{ sku: p.sku, quantity: 3 }], soon())));
  expect(attempts.every((r) => r.ok)).toBe(true);
  expect(attempts.filter((r) => r.ok && !r.alreadyReserved)).toHaveLength(1);
  expect(await totals(p.sku)).toEqual({ onHand: 10, reserved: 3 });

  // reserve → release → (retry release) → reserve again → (retry) → commit → (retry commit)
  expect(await releaseStock(db, orderId, 'test')).toBe(1);
  expect(await releaseStock(db, orderId, 'test')).toBe(0);
  expect(await totals(p.sku)).toEqual({ onHand: 10, reserved: 0 });
  const again = await reserveStock(db, orderId, [{ sku: p.sku, quantity: 3 }], soon());
  expect(again.ok && again.alreadyReserved).toBe(false);
  expect((await reserveStock(db, orderId, [{ sku: p.sku, quantity: 3 }], soon())).ok).toBe(true);
  expect(await totals(p.sku)).toEqual({ onHand: 10, reserved: 3 });
  const commits = await Promise.all([commitStock(db, orderId), commitStock(db, orderId), commitStock(db, orderId)]);
  expect(commits.sort()).toEqual([0, 0, 1]);
  expect(await totals(p.sku)).toEqual({ onHand: 7, reserved: 0 });
  expect(await releaseStock(db, orderId, 'after commit')).toBe(0);
  expect(await totals(p.sku)).toEqual({ onHand: 7, reserved: 0 });

  const reasons = await db
    .selectFrom('stock_movements')
    .select(['reason', 'delta_on_hand', 'delta_reserved'])
    .where('sku', '=', p.sku)
    .orderBy('id')
    .execute();
  expect(reasons).toEqual([
    { reason: 'adjust', delta_on_hand: 10, delta_reserved: 0 },
    { reason: 'reserve', delta_on_hand: 0, delta_reserved: 3 },
    { reason: 'release', delta_on_hand: 0, delta_reserved: -3 },
    { reason: 'reserve', delta_on_hand: 0, delta_reserved: 3 },
    { reason: 'commit', delta_on_hand: -3, delta_reserved: -3 },
  ]);
  expect(await ledgerImbalances(db, [p.sku])).toEqual([]);
});

test('concurrent multi-line orders over overlapping SKUs in opposite orders: no deadlock, no oversell', async () => {
  const skus = await Promise.all(Array.from({ length: 4 }, () => createProduct(db, { stock: { 'wh-east': 30, 'wh-west': 20 } })));
  const orders = Array.from({ length: 120 }, (_, i) => {
    const lines = skus.map((s) => ({ sku: s.sku, quantity: 1 + (i % 3) }));
    return i % 2 ? lines.reverse() : lines;
  });
  const results = await Promise.all(orders.map((lines, i) => reserveStock(db, uniqueId(`m${i}-`), lines, soon())));
  const reservedBySku = await Promise.all(skus.map((s) => totals(s.sku)));
  const okQty = results.reduce((acc, r, i) => (r.ok ? acc + (orders[i]?.[0]?.quantity ?? 0) : acc), 0);
  for (const t of reservedBySku) {
    expect(t.reserved).toBeLessThanOrEqual(t.onHand);
    expect(t.reserved).toBe(okQty);
  }
  expect(results.some((r) => !r.ok)).toBe(true); // demand (240) exceeded supply (50): some had to fail
  expect(
    await ledgerImbalances(
      db,
      skus.map((s) => s.sku),
    ),
  ).toEqual([]);
});

test('the database refuses a stock change without a reason, and ledger edits', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  await expect(sql`UPDATE inventory_levels SET on_hand = 6 WHERE sku = ${p.sku}`.execute(db)).rejects.toThrow(/without a reason/);
  await expect(sql`DELETE FROM stock_movements WHERE sku = ${p.sku}`.execute(db)).rejects.toThrow(/append-only/);
  await expect(sql`UPDATE stock_movements SET delta_on_hand = 0 WHERE sku = ${p.sku}`.execute(db)).rejects.toThrow(/append-only/);
  await expect(
    db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
      await sql`UPDATE inventory_levels SET reserved = on_hand + 1 WHERE sku = ${p.sku}`.execute(trx);
    }),
  ).rejects.toThrow(/inventory_levels_reserved_range/);
  expect(await ledgerImbalances(db, [p.sku])).toEqual([]);
});
