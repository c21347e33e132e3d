/**
 * The order rows' writes and reads, each one statement: `insertOrder` (order, lines, `placed`
 * event), `recordStatusChange` (status, event, queued email) and `getOrderRecord`. Writes are all
 * or nothing and idempotent (a repeat — even a concurrent one — changes nothing and answers with
 * the event written first).
 */
import { createDb, type Db } from '../../db/connection';
import { appendOrderEvent, getOrderRecord, insertOrder, type NewOrder, recordStatusChange } from '../../db/queries/orders';
import { newOrderRow } from '../support/email-orders';
import { createProduct } from '../support/fixtures';

let db: Db;
beforeAll(() => {
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 4 });
});
afterAll(() => db.destroy());

const newOrder = (sku: string, unitPrice: number, orderId?: string) =>
  newOrderRow(sku, unitPrice, { quantities: [2, 1], ...(orderId ? { orderId } : {}) });

const linesOf = (orderId: string) =>
  db.selectFrom('order_lines').select(['line_no', 'unit_price_amount']).where('order_id', '=', orderId).orderBy('line_no').execute();
const eventsOf = async (orderId: string) =>
  (await db.selectFrom('order_events').select(['id', 'event_key']).where('order_id', '=', orderId).execute()).map((e) => ({
    id: Number(e.id),
    event_key: e.event_key,
  }));

test('the first insert writes order, lines and the placed event; a repeat with other prices changes nothing', async () => {
  const p = await createProduct(db, { priceAmount: 1500 });
  const first = newOrder(p.sku, 1500);
  const a = await insertOrder(db, first);
  expect(a.created).toBe(true);
  expect(a.event).toMatchObject({ orderId: first.priced.orderId, status: 'placed', type: 'status' });

  const b = await insertOrder(db, newOrder(p.sku, 9999, first.priced.orderId));
  expect(b.created).toBe(false);
  expect(b.event.id).toBe(a.event.id);
  expect(await linesOf(first.priced.orderId)).toEqual([
    { line_no: 1, unit_price_amount: 1500 },
    { line_no: 2, unit_price_amount: 1500 },
  ]);
  expect(await eventsOf(first.priced.orderId)).toEqual([{ id: a.event.id, event_key: 'placed' }]);
});

test('concurrent inserts of one order: exactly one creates it, both answer the same event', async () => {
  const p = await createProduct(db, { priceAmount: 700 });
  const o = newOrder(p.sku, 700);
  const results = await Promise.all(Array.from({ length: 6 }, () => insertOrder(db, o)));
  expect(results.filter((r) => r.created)).toHaveLength(1);
  expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
  expect(await linesOf(o.priced.orderId)).toHaveLength(2);
});

test('all or nothing: a line Postgres refuses leaves no order and no event behind', async () => {
  const p = await createProduct(db, { priceAmount: 700 });
  const o = newOrder(p.sku, 700);
  const bad: NewOrder = {
    ...o,
    priced: { ...o.priced, lines: [{ ...(o.priced.lines[0] as NewOrder['priced']['lines'][number]), name: 'Tea\u0000pot' }] },
  };
  await expect(insertOrder(db, bad)).rejects.toThrow();
  expect(await db.selectFrom('orders').select('id').where('id', '=', o.priced.orderId).executeTakeFirst()).toBeUndefined();
  expect(await eventsOf(o.priced.orderId)).toEqual([]);
});

test('getOrderRecord: order, lines in line order, timeline in order, with Dates (one statement)', async () => {
  const p = await createProduct(db, { priceAmount: 500 });
  const o = newOrder(p.sku, 500);
  const { event } = await insertOrder(db, o);
  await appendOrderEvent(db, { orderId: o.priced.orderId, eventKey: 'confirmed', status: 'confirmed', data: { type: 'status' } });
  const r = await getOrderRecord(db, o.priced.orderId);
  expect(r?.order).toMatchObject({ id: o.priced.orderId, status: 'placed', total_amount: 2099 });
  expect(r?.lines.map((l) => [l.line_no, l.quantity])).toEqual([
    [1, 2],
    [2, 1],
  ]);
  expect(r?.events.map((e) => [Number(e.id), e.status])).toEqual([
    [event.id, 'placed'],
    [expect.any(Number), 'confirmed'],
  ]);
  expect(r?.events[0]?.at).toBeInstanceOf(Date);
  expect(r?.events[0]?.at.toISOString()).toBe(event.at);
  expect(r?.events[1]?.data).toEqual({ type: 'status' });
  expect(r?.refunds).toEqual([]);
  expect(await getOrderRecord(db, 'ord_missing')).toBeUndefined();
});

test('recordStatusChange: status, event and the queued email in one statement; a repeat changes nothing', async () => {
  const p = await createProduct(db, { priceAmount: 500 });
  const o = newOrder(p.sku, 500);
  await insertOrder(db, o);
  const orderId = o.priced.orderId;
  const change = {
    orderId,
    eventKey: 'confirmed',
    status: 'confirmed' as const,
    authorizationId: 'auth_1',
    email: { kind: 'confirmed' as const },
  };
  const first = await recordStatusChange(db, change);
  expect(first).toMatchObject({ orderId, status: 'confirmed', type: 'status' });
  const again = await Promise.all([recordStatusChange(db, change), recordStatusChange(db, change)]);
  expect(again.map((e) => e.id)).toEqual([first.id, first.id]);
  const row = await db
    .selectFrom('orders')
    .select(['status', 'payment_authorization_id'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'confirmed', payment_authorization_id: 'auth_1' });
  expect((await eventsOf(orderId)).map((e) => e.event_key)).toEqual(['placed', 'confirmed']);
  const queued = await db.selectFrom('order_email_outbox').select(['kind']).where('order_id', '=', orderId).execute();
  expect(queued).toEqual([{ kind: 'confirmed' }]);
});

test('recordStatusChange is all or nothing: an event Postgres refuses leaves the status and the outbox as they were', async () => {
  const p = await createProduct(db, { priceAmount: 500 });
  const o = newOrder(p.sku, 500);
  await insertOrder(db, o);
  const orderId = o.priced.orderId;
  await expect(
    recordStatusChange(db, { orderId, eventKey: 'cancelled', status: 'cancelled', note: 'x\u0000y', email: { kind: 'cancelled' } }),
  ).rejects.toThrow();
  expect((await db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirstOrThrow()).status).toBe('placed');
  expect(await db.selectFrom('order_email_outbox').select('kind').where('order_id', '=', orderId).execute()).toEqual([]);
});
