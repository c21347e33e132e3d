/**
 * Batched reservations (migration 0034 + db/queries/reservation-batcher.ts) against real
 * Postgres: orders that share one `reserve_stock_batch` call keep their own all-or-nothing
 * outcome, allocation rules and idempotency; batches from several pools (several worker
 * processes) racing each other and single reservations never oversell, never deadlock, and leave
 * the ledger and the held reservations equal to the stock rows.
 */
import { sql } from 'kysely';
import { createDb, type Db } from '../../db/connection';
import { releaseStock } from '../../db/queries/inventory';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { ReservationBatcher } from '../../db/queries/reservation-batcher';
import type { ReserveLine } from '../../domain/inventory';
import { uniqueId } from '../support/config';
import { createProduct } from '../support/fixtures';

const url = process.env.DATABASE_URL ?? '';
let db: Db;
beforeAll(() => {
  db = createDb({ connectionString: url, max: 10, connectionTimeoutMillis: 30_000 });
});
afterAll(async () => db?.destroy());

const soon = () => new Date(Date.now() + 15 * 60_000);

async function totals(sku: string) {
  const rows = await db.selectFrom('inventory_levels').select(['location_id', 'on_hand', 'reserved']).where('sku', '=', sku).execute();
  return { onHand: rows.reduce((a, r) => a + r.on_hand, 0), reserved: rows.reduce((a, r) => a + r.reserved, 0) };
}
async function heldSum(sku: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT coalesce(sum(quantity), 0)::int AS n FROM reservations WHERE sku = ${sku} AND status = 'held'`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Submits `orders` so that all of them travel in ONE batch: with one batch in flight, a first
 * (unrelated) order is sent at once and the rest queue behind it.
 */
async function oneBatch(orders: Array<{ orderId: string; lines: ReserveLine[] }>) {
  const batcher = new ReservationBatcher(db, { maxInFlight: 1 });
  const filler = await createProduct(db, { stock: { 'wh-east': 1 } });
  const first = batcher.reserve(uniqueId('filler-'), [{ sku: filler.sku, quantity: 1 }], soon());
  const rest = orders.map((o) => batcher.reserve(o.orderId, o.lines, soon()));
  await first;
  return Promise.all(rest);
}

test('orders in one batch keep their own outcome: all-or-nothing, shortfalls per line, allocation rules', async () => {
  const a = await createProduct(db, { stock: { 'wh-east': 4, 'wh-central': 6, 'wh-west': 5 } });
  const b = await createProduct(db, { stock: { 'wh-east': 2 } });
  const ids = Array.from({ length: 5 }, (_, i) => uniqueId(`b${i}-`));
  const results = await oneBatch([
    // whole line from the fullest location that can ship it
    { orderId: ids[0] ?? '', lines: [{ sku: a.sku, quantity: 5 }] },
    // second line short: nothing of the first may be taken
    {
      orderId: ids[1] ?? '',
      lines: [
        { sku: a.sku, quantity: 1 },
        { sku: b.sku, quantity: 3 },
      ],
    },
    // sees what order 0 left (east 4, central 1, west 5): 9 must split, fullest first
    { orderId: ids[2] ?? '', lines: [{ sku: a.sku, quantity: 9 }] },
    // a retry of order 0 inside the same batch: what order 0 took, once
    { orderId: ids[0] ?? '', lines: [{ sku: a.sku, quantity: 5 }] },
    // an unknown sku and a short one, reported in the caller's line order
    {
      orderId: ids[3] ?? '',
      lines: [
        { sku: 'NO-SUCH-SKU', quantity: 1 },
        { sku: a.sku, quantity: 2 },
      ],
    },
  ]);
  expect(results).toEqual([
    { ok: true, alreadyReserved: false, allocations: [{ line: 0, sku: a.sku, locationId: 'wh-central', quantity: 5 }] },
    { ok: false, shortfalls: [{ index: 1, sku: b.sku, requested: 3, available: 2 }] },
    {
      ok: true,
      alreadyReserved: false,
      allocations: [
        { line: 0, sku: a.sku, locationId: 'wh-west', quantity: 5 },
        { line: 0, sku: a.sku, locationId: 'wh-east', quantity: 4 },
      ],
    },
    { ok: true, alreadyReserved: true, allocations: [{ sku: a.sku, locationId: 'wh-central', quantity: 5 }] },
    {
      ok: false,
      shortfalls: [
        { index: 0, sku: 'NO-SUCH-SKU', requested: 1, available: 0 },
        { index: 1, sku: a.sku, requested: 2, available: 1 },
      ],
    },
  ]);
  expect(await totals(a.sku)).toEqual({ onHand: 15, reserved: 14 });
  expect(await totals(b.sku)).toEqual({ onHand: 2, reserved: 0 });
  expect(await heldSum(a.sku)).toBe(14);
  expect(
    await db
      .selectFrom('reservations')
      .select('id')
      .where('order_id', '=', ids[1] ?? '')
      .execute(),
  ).toEqual([]);
  const ledger = await db
    .selectFrom('stock_movements')
    .select(['order_id', 'location_id', 'delta_reserved'])
    .where('sku', '=', a.sku)
    .where('reason', '=', 'reserve')
    .orderBy('id')
    .execute();
  expect(ledger).toEqual(
    expect.arrayContaining([
      { order_id: ids[0], location_id: 'wh-central', delta_reserved: 5 },
      { order_id: ids[2], location_id: 'wh-west', delta_reserved: 5 },
      { order_id: ids[2], location_id: 'wh-east', delta_reserved: 4 },
    ]),
  );
  expect(ledger).toHaveLength(3);
  expect(await ledgerImbalances(db, [a.sku, b.sku])).toEqual([]);
});

test('an order that already holds stock is answered from what it holds; a released one reserves again', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 10 } });
  const held = uniqueId('held-');
  const released = uniqueId('rel-');
  await oneBatch([
    { orderId: held, lines: [{ sku: p.sku, quantity: 2 }] },
    { orderId: released, lines: [{ sku: p.sku, quantity: 3 }] },
  ]);
  expect(await releaseStock(db, released, 'test')).toBe(1);
  const again = await oneBatch([
    { orderId: held, lines: [{ sku: p.sku, quantity: 2 }] },
    { orderId: released, lines: [{ sku: p.sku, quantity: 3 }] },
  ]);
  expect(again).toEqual([
    { ok: true, alreadyReserved: true, allocations: [{ sku: p.sku, locationId: 'wh-east', quantity: 2 }] },
    { ok: true, alreadyReserved: false, allocations: [{ line: 0, sku: p.sku, locationId: 'wh-east', quantity: 3 }] },
  ]);
  expect(await totals(p.sku)).toEqual({ onHand: 10, reserved: 5 });
  expect(await heldSum(p.sku)).toBe(5);
  expect(await ledgerImbalances(db, [p.sku])).toEqual([]);
});

test('a malformed order is refused alone and never joins (or fails) a batch', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const batcher = new ReservationBatcher(db, { maxInFlight: 1 });
  const good = Array.from({ length: 3 }, () => batcher.reserve(uniqueId('g-'), [{ sku: p.sku, quantity: 1 }], soon()));
  const bad = batcher.reserve(uniqueId('bad-'), [{ sku: p.sku, quantity: 0 }], soon());
  const empty = batcher.reserve(uniqueId('empty-'), [], soon());
  await expect(bad).rejects.toThrow();
  await expect(empty).rejects.toThrow();
  expect((await Promise.all(good)).map((r) => r.ok)).toEqual([true, true, true]);
  expect(await totals(p.sku)).toEqual({ onHand: 5, reserved: 3 });
});

test('a batch Postgres refuses as a whole is retried order by order: only the culprit fails', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const batcher = new ReservationBatcher(db, { maxInFlight: 1 });
  const filler = await createProduct(db, { stock: { 'wh-east': 1 } });
  const first = batcher.reserve(uniqueId('filler-'), [{ sku: filler.sku, quantity: 1 }], soon());
  // A NUL byte passes validation but no text column can hold it: the batch's statement fails.
  const culprit = batcher.reserve(uniqueId('nul-'), [{ sku: 'BAD\u0000SKU', quantity: 1 }], soon());
  const good = [
    batcher.reserve(uniqueId('g1-'), [{ sku: p.sku, quantity: 2 }], soon()),
    batcher.reserve(uniqueId('g2-'), [{ sku: p.sku, quantity: 2 }], soon()),
  ];
  await first;
  await expect(culprit).rejects.toThrow(/0x00|invalid byte sequence/);
  expect((await Promise.all(good)).map((r) => r.ok)).toEqual([true, true]);
  expect(await totals(p.sku)).toEqual({ onHand: 5, reserved: 4 });
  expect(await heldSum(p.sku)).toBe(4);
  expect(await ledgerImbalances(db, [p.sku])).toEqual([]);
});

test('batches from several pools race on one sku with single reservations: exactly the stock, books balance', async () => {
  const { sku } = await createProduct(db, { stock: { 'wh-east': 40, 'wh-central': 35, 'wh-west': 25 } });
  // Six "worker processes", each its own pool and batcher, 100 orders each: their batches race
  // for the same three rows, alongside one-order calls.
  const pools = Array.from({ length: 6 }, () => createDb({ connectionString: url, max: 3, connectionTimeoutMillis: 30_000 }));
  try {
    const batchers = pools.map((p) => new ReservationBatcher(p));
    const results = await Promise.all(
      batchers.flatMap((b, w) => Array.from({ length: 100 }, (_, i) => b.reserve(uniqueId(`w${w}-${i}-`), [{ sku, quantity: 1 }], soon()))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    for (const r of results) if (!r.ok) expect(r.shortfalls).toEqual([{ index: 0, sku, requested: 1, available: 0 }]);
    expect(await totals(sku)).toEqual({ onHand: 100, reserved: 100 });
    expect(await heldSum(sku)).toBe(100);
    expect(await ledgerImbalances(db, [sku])).toEqual([]);
  } finally {
    await Promise.all(pools.map((p) => p.destroy()));
  }
});

test('multi-line batches over overlapping skus from several pools: no deadlock, no oversell', async () => {
  const skus = (await Promise.all(Array.from({ length: 5 }, () => createProduct(db, { stock: { 'wh-east': 20, 'wh-west': 20 } })))).map(
    (p) => p.sku,
  );
  const pools = Array.from({ length: 4 }, () => createDb({ connectionString: url, max: 3, connectionTimeoutMillis: 30_000 }));
  try {
    const batchers = pools.map((p) => new ReservationBatcher(p, { maxInFlight: 3 }));
    const orders = Array.from({ length: 200 }, (_, i) => {
      // three of the five skus, in a rotating (not sorted) order, 1–2 units each
      const lines = [0, 1, 2].map((j) => ({ sku: skus[(i + j * 2) % 5] ?? '', quantity: 1 + ((i + j) % 2) }));
      return { id: uniqueId(`ml${i}-`), lines: i % 2 ? lines.reverse() : lines };
    });
    const results = await Promise.all(orders.map((o, i) => batchers[i % batchers.length]?.reserve(o.id, o.lines, soon())));
    const wanted = new Map<string, number>();
    results.forEach((r, i) => {
      if (r?.ok) for (const l of orders[i]?.lines ?? []) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
    });
    expect(results.some((r) => r && !r.ok)).toBe(true); // demand (~900 units) exceeds supply (200)
    for (const sku of skus) {
      const t = await totals(sku);
      expect(t.reserved).toBe(wanted.get(sku) ?? 0);
      expect(t.reserved).toBeLessThanOrEqual(t.onHand);
      expect(await heldSum(sku)).toBe(t.reserved);
    }
    expect(await ledgerImbalances(db, skus)).toEqual([]);
  } finally {
    await Promise.all(pools.map((p) => p.destroy()));
  }
});
