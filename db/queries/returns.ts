/**
 * Returns and refunds rows: written only by the return (and order) workflows' activities; the API
 * reads. Quantities and money are checked by the triggers of migration 0050 under concurrency;
 * these functions turn their refusals (SQLSTATE CR409) into typed errors. Every write is
 * idempotent: rows by primary or idempotency key, timeline events by (order_id, event_key).
 */
import { sql, type Transaction } from 'kysely';
import { LOCATIONS } from '../../domain/db-enums';
import type { OrderEventMessage } from '../../domain/orders/types';
import type { ReceivedItem, RefundQuote, ReturnItemRequest, ReturnLabel, ReturnStatus } from '../../domain/returns/types';
import type { Failure } from '../../domain/schemas/orders';
import type { Db } from '../connection';
import type { Database, OrderEventRow, RefundRow, ReturnLineRow, ReturnRow } from '../database';
import { appendOrderEvent } from './orders';

/** `idempotency_keys` scope of refused return requests (the same request again gets the same 409). */
export const RETURN_REJECTION_SCOPE = 'return-rejection';

/** A rule of 0050 refused the write (`return_exceeds_delivered` or `refund_exceeds_captured`). */
export class BooksRefusal extends Error {
  constructor(
    readonly code: 'return_not_allowed' | 'refund_exceeds_captured',
    message: string,
  ) {
    super(message);
    this.name = 'BooksRefusal';
  }
}

function refusalOf(err: unknown): BooksRefusal | undefined {
  const e = err as { code?: string; message?: string };
  if (e?.code !== 'CR409') return undefined;
  if (e.message?.startsWith('refund_exceeds_captured')) return new BooksRefusal('refund_exceeds_captured', e.message);
  return new BooksRefusal('return_not_allowed', e.message ?? 'return exceeds what was delivered');
}

/** When the order was delivered (its `delivered` status event), or undefined. */
async function deliveredAt(db: Db | Transaction<Database>, orderId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('order_events')
    .select(sql<Date>`min(at)`.as('at'))
    .where('order_id', '=', orderId)
    .where('status', '=', 'delivered')
    .where(sql<boolean>`coalesce(data->>'type', 'status') = 'status'`)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : undefined;
}

export interface ReturnEligibility {
  ok: boolean;
  detail?: string;
  /** sku → remaining returnable units (delivered − claimed by returns). */
  remaining: Map<string, { lineNo: number; remaining: number }>;
}

/**
 * Whether the order may be returned now (delivered, within the window) and how many units of each
 * sku are left to return. Advisory for the API's fast answer; the insert is checked again under
 * the order line's lock by 0050's trigger.
 */
export async function returnEligibility(db: Db | Transaction<Database>, orderId: string, windowMs: number): Promise<ReturnEligibility> {
  const order = await db.selectFrom('orders').select(['status']).where('id', '=', orderId).executeTakeFirst();
  const lines = await db
    .selectFrom('order_lines')
    .select(['line_no', 'sku', 'quantity', sql<number>`order_line_returned_units(order_id, line_no)`.as('claimed')])
    .where('order_id', '=', orderId)
    .execute();
  const remaining = new Map(lines.map((l) => [l.sku, { lineNo: l.line_no, remaining: l.quantity - Number(l.claimed) }]));
  if (!order) return { ok: false, detail: 'no such order', remaining };
  if (order.status !== 'delivered') return { ok: false, detail: `the order is ${order.status}, not delivered`, remaining };
  const at = await deliveredAt(db, orderId);
  if (!at || Date.now() - at.getTime() > windowMs) {
    return { ok: false, detail: `the return window (${Math.round(windowMs / 86_400_000)} days after delivery) has closed`, remaining };
  }
  return { ok: true, remaining };
}

/** Quantities that exceed what is left, as field errors (empty = fine). */
export function quantityProblems(items: ReturnItemRequest[], remaining: ReturnEligibility['remaining']) {
  return items.flatMap((item, i) => {
    const r = remaining.get(item.sku);
    if (!r) return [{ path: `items[${i}].sku`, message: `${item.sku} is not in this order` }];
    if (item.quantity > r.remaining) {
      return [
        { path: `items[${i}].quantity`, message: `only ${Math.max(r.remaining, 0)} left to return`, sku: item.sku, available: r.remaining },
      ];
    }
    return [];
  });
}

export interface NewReturn {
  returnId: string;
  orderId: string;
  customerId: string;
  workflowId: string;
  idempotencyKey: string;
  requestHash: string;
  items: ReturnItemRequest[];
  reason: string;
  windowMs: number;
}

function returnEventData(returnId: string, status: ReturnStatus, extra: Record<string, unknown> = {}) {
  return { type: 'return', returnId, status, ...extra };
}

/**
 * Writes the return (`requested`), its lines and the order's timeline event, in one transaction —
 * or throws `BooksRefusal('return_not_allowed')` (not delivered, window closed, unknown sku, more
 * units than are left: the last checked by 0050's trigger under the order line's lock). A repeat
 * finds the row and changes nothing.
 */
export async function openReturn(db: Db, r: NewReturn): Promise<{ event: OrderEventMessage; created: boolean }> {
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('returns').select('id').where('id', '=', r.returnId).executeTakeFirst();
      if (!existing) {
        const e = await returnEligibility(trx, r.orderId, r.windowMs);
        if (!e.ok) throw new BooksRefusal('return_not_allowed', e.detail ?? 'not returnable');
        const problems = quantityProblems(r.items, e.remaining);
        const unknown = problems.find((p) => p.path.endsWith('.sku'));
        if (unknown) throw new BooksRefusal('return_not_allowed', unknown.message);
        await trx
          .insertInto('returns')
          .values({
            id: r.returnId,
            order_id: r.orderId,
            customer_id: r.customerId,
            status: 'requested',
            reason: r.reason,
            idempotency_key: r.idempotencyKey,
            request_hash: r.requestHash,
            workflow_id: r.workflowId,
          })
          .execute();
        await trx
          .insertInto('return_lines')
          .values(
            r.items.map((i) => ({
              return_id: r.returnId,
              order_id: r.orderId,
              line_no: (e.remaining.get(i.sku) as { lineNo: number }).lineNo,
              sku: i.sku,
              quantity: i.quantity,
            })),
          )
          .execute();
      }
      const { event } = await appendOrderEvent(trx, {
        orderId: r.orderId,
        eventKey: `return:${r.returnId}:requested`,
        status: 'return_requested',
        note: r.reason,
        data: returnEventData(r.returnId, 'requested'),
      });
      return { event, created: !existing };
    });
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
}

export interface ReturnStatusChange {
  returnId: string;
  status: ReturnStatus;
  /** Unique per return: `approved`, `failed:2`, … */
  eventKey: string;
  note?: string | null;
  label?: ReturnLabel;
  parcelStatus?: string;
  /** `null` clears it; undefined leaves it. */
  failure?: Failure | null;
  data?: Record<string, unknown>;
}

/** Sets the return's status (and what came with it) and appends the order's timeline event, in one transaction. */
export async function recordReturnStatus(db: Db, c: ReturnStatusChange): Promise<OrderEventMessage> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('returns')
      .set({
        status: c.status,
        updated_at: sql`now()`,
        ...(c.failure !== undefined ? { failure: c.failure ? JSON.stringify(c.failure) : null } : {}),
        ...(c.status === 'rejected' && c.note ? { note: c.note } : {}),
        ...(c.label
          ? {
              label_carrier: c.label.carrier,
              label_service: c.label.service,
              label_tracking_number: c.label.trackingNumber,
              label_url: c.label.labelUrl,
              label_tracking_status: 'label_created',
            }
          : {}),
        ...(c.parcelStatus ? { label_tracking_status: c.parcelStatus } : {}),
      })
      .where('id', '=', c.returnId)
      .returning('order_id')
      .executeTakeFirstOrThrow();
    const { event } = await appendOrderEvent(trx, {
      orderId: row.order_id,
      eventKey: `return:${c.returnId}:${c.eventKey}`,
      status: `return_${c.status}`,
      note: c.note ?? null,
      data: returnEventData(c.returnId, c.status, {
        ...(c.label ? { label: c.label } : {}),
        ...(c.parcelStatus ? { parcelStatus: c.parcelStatus } : {}),
        ...c.data,
      }),
    });
    return event;
  });
}

/** The return parcel's tracking moved (status of the return unchanged): stored and on the timeline. */
export async function recordReturnParcel(
  db: Db,
  c: { returnId: string; parcelStatus: string; at: string; note: string },
): Promise<{ event: OrderEventMessage; inserted: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('returns')
      .set({ label_tracking_status: c.parcelStatus, updated_at: sql`now()` })
      .where('id', '=', c.returnId)
      .returning(['order_id', 'status'])
      .executeTakeFirstOrThrow();
    return appendOrderEvent(trx, {
      orderId: row.order_id,
      eventKey: `return:${c.returnId}:parcel:${c.parcelStatus}`,
      status: `return_${row.status}`,
      note: c.note,
      data: returnEventData(c.returnId, row.status, { parcelStatus: c.parcelStatus, at: c.at }),
    });
  });
}

/** Where returned units of `sku` go back: the location the order's stock was committed from. */
async function restockLocation(trx: Transaction<Database>, orderId: string, sku: string): Promise<string> {
  const r = await trx
    .selectFrom('reservations')
    .select('location_id')
    .where('order_id', '=', orderId)
    .where('sku', '=', sku)
    .orderBy('quantity', 'desc')
    .orderBy('location_id')
    .executeTakeFirst();
  return r?.location_id ?? LOCATIONS[0];
}

/**
 * Receives the return's parcel: per line the received units by condition, resellable ones back on
 * hand through the stock ledger (`restock_return`, reason `return`, once per return and sku), the
 * return `received` with its timeline event — one transaction. A repeat (the return is already
 * received or later) changes nothing and returns the same event.
 */
export async function receiveReturn(
  db: Db,
  c: { returnId: string; items: ReceivedItem[]; eventKey: string },
): Promise<{ event: OrderEventMessage; restocked: number }> {
  return db.transaction().execute(async (trx) => {
    const ret = await trx.selectFrom('returns').selectAll().where('id', '=', c.returnId).forUpdate().executeTakeFirstOrThrow();
    const lines = await trx.selectFrom('return_lines').selectAll().where('return_id', '=', c.returnId).orderBy('line_no').execute();
    let restocked = 0;
    if (ret.status === 'approved' || ret.status === 'in_transit' || ret.status === 'requested') {
      for (const line of lines) {
        const resellable = c.items.filter((i) => i.sku === line.sku && i.condition === 'resellable').reduce((a, i) => a + i.quantity, 0);
        const damaged = c.items.filter((i) => i.sku === line.sku && i.condition === 'damaged').reduce((a, i) => a + i.quantity, 0);
        await trx
          .updateTable('return_lines')
          .set({ received_resellable: resellable, received_damaged: damaged, received_at: sql`now()` })
          .where('return_id', '=', c.returnId)
          .where('line_no', '=', line.line_no)
          .execute();
        if (resellable > 0) {
          const location = await restockLocation(trx, ret.order_id, line.sku);
          const { rows } = await sql<{ done: boolean }>`
            SELECT restock_return(${c.returnId}, ${ret.order_id}, ${line.sku}, ${location}, ${resellable}) AS done`.execute(trx);
          if (rows[0]?.done) restocked += resellable;
        }
      }
      await trx.updateTable('returns').set({ status: 'received', updated_at: sql`now()` }).where('id', '=', c.returnId).execute();
    }
    const received = c.items.map((i) => `${i.quantity} × ${i.sku} ${i.condition}`).join(', ');
    const { event } = await appendOrderEvent(trx, {
      orderId: ret.order_id,
      eventKey: `return:${c.returnId}:${c.eventKey}`,
      status: 'return_received',
      note: `received: ${received}`,
      data: returnEventData(c.returnId, 'received', { items: c.items }),
    });
    return { event, restocked };
  });
}

/**
 * What a received return is owed: the received units at the prices paid, plus the order's shipping
 * when every unit of the order has come back (over all its returns).
 */
export async function quoteReturnRefund(db: Db, returnId: string): Promise<RefundQuote & { orderId: string; captureId: string | null }> {
  const ret = await db.selectFrom('returns').select(['order_id']).where('id', '=', returnId).executeTakeFirstOrThrow();
  const order = await db
    .selectFrom('orders')
    .select(['currency', 'shipping_amount', 'payment_capture_id'])
    .where('id', '=', ret.order_id)
    .executeTakeFirstOrThrow();
  const { rows } = await sql<{ line_no: number; quantity: number; unit: number; this_return: number; all_returns: number }>`
    SELECT ol.line_no, ol.quantity, ol.unit_price_amount AS unit,
           coalesce((SELECT rl.received_resellable + rl.received_damaged FROM return_lines rl
                      WHERE rl.return_id = ${returnId} AND rl.order_id = ol.order_id AND rl.line_no = ol.line_no), 0)::int AS this_return,
           coalesce((SELECT sum(rl.received_resellable + rl.received_damaged) FROM return_lines rl JOIN returns r ON r.id = rl.return_id
                      WHERE rl.order_id = ol.order_id AND rl.line_no = ol.line_no AND r.status IN ('received', 'refunded', 'failed')), 0)::int AS all_returns
      FROM order_lines ol WHERE ol.order_id = ${ret.order_id} ORDER BY ol.line_no`.execute(db);
  const goods = rows.reduce((a, r) => a + r.this_return * r.unit, 0);
  const whole = rows.length > 0 && rows.every((r) => r.all_returns >= r.quantity);
  // Shipping goes back once: with the return that completes the order.
  const shippingRefunded = whole
    ? await db
        .selectFrom('refunds')
        .select('id')
        .where('order_id', '=', ret.order_id)
        .where('kind', '=', 'return')
        .where('return_id', '!=', returnId)
        .where(sql<boolean>`reason = 'return (with shipping)'`)
        .executeTakeFirst()
    : undefined;
  const includesShipping = whole && !shippingRefunded && goods > 0;
  return {
    orderId: ret.order_id,
    captureId: order.payment_capture_id,
    currency: order.currency.trim(),
    amount: goods + (includesShipping ? order.shipping_amount : 0),
    includesShipping,
  };
}

/**
 * Reserves a refund in the books before the provider is asked (0050's trigger keeps the order's
 * refunds within what was captured, under the order row's lock). Idempotent by key: a repeat
 * returns the first row. Throws `BooksRefusal('refund_exceeds_captured')`.
 */
export async function reserveRefund(
  db: Db,
  r: {
    id: string;
    orderId: string;
    returnId?: string;
    kind: 'return' | 'goodwill';
    amount: number;
    currency: string;
    reason: string;
    idempotencyKey: string;
    requestHash?: string;
  },
): Promise<RefundRow> {
  try {
    await db
      .insertInto('refunds')
      .values({
        id: r.id,
        order_id: r.orderId,
        return_id: r.returnId ?? null,
        kind: r.kind,
        amount: r.amount,
        currency: r.currency,
        reason: r.reason,
        status: 'pending',
        idempotency_key: r.idempotencyKey,
        request_hash: r.requestHash ?? null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  } catch (err) {
    throw refusalOf(err) ?? err;
  }
  return db.selectFrom('refunds').selectAll().where('idempotency_key', '=', r.idempotencyKey).executeTakeFirstOrThrow();
}

/** Captured minus every refund of the order (pending ones included). */
export async function refundableLeft(db: Db, orderId: string): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select([
      sql<number>`CASE WHEN payment_capture_id IS NULL THEN 0 ELSE total_amount END`.as('captured'),
      sql<number>`(SELECT coalesce(sum(amount), 0) FROM refunds r WHERE r.order_id = orders.id)`.as('refunded'),
    ])
    .where('id', '=', orderId)
    .executeTakeFirst();
  return row ? Number(row.captured) - Number(row.refunded) : 0;
}

export function findRefundByKey(db: Db, idempotencyKey: string): Promise<RefundRow | undefined> {
  return db.selectFrom('refunds').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

/** The provider refunded: the row is `succeeded`, and the order's timeline says so. */
export async function completeRefund(
  db: Db,
  c: {
    idempotencyKey: string;
    providerRefundId: string;
    event: { eventKey: string; status: string; note: string; data: Record<string, unknown> };
  },
): Promise<{ refund: RefundRow; event: OrderEventMessage }> {
  return db.transaction().execute(async (trx) => {
    const refund = await trx
      .updateTable('refunds')
      .set({ status: 'succeeded', provider_refund_id: c.providerRefundId, refunded_at: sql`coalesce(refunded_at, now())` })
      .where('idempotency_key', '=', c.idempotencyKey)
      .returningAll()
      .executeTakeFirstOrThrow();
    const { event } = await appendOrderEvent(trx, {
      orderId: refund.order_id,
      eventKey: c.event.eventKey,
      status: c.event.status,
      note: c.event.note,
      data: { ...c.event.data, refundId: refund.id, amount: refund.amount },
    });
    if (refund.return_id) {
      await trx
        .updateTable('returns')
        .set({ status: 'refunded', failure: null, updated_at: sql`now()` })
        .where('id', '=', refund.return_id)
        .execute();
    }
    return { refund, event };
  });
}

export interface ReturnRecord {
  ret: ReturnRow;
  lines: ReturnLineRow[];
  events: Pick<OrderEventRow, 'status' | 'note' | 'data' | 'at'>[];
  refund: RefundRow | undefined;
}

export async function getReturnRecords(db: Db, ids: readonly string[]): Promise<ReturnRecord[]> {
  if (!ids.length) return [];
  const [rets, lines, refunds] = await Promise.all([
    db
      .selectFrom('returns')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute(),
    db
      .selectFrom('return_lines')
      .selectAll()
      .where('return_id', 'in', [...ids])
      .orderBy('line_no')
      .execute(),
    db
      .selectFrom('refunds')
      .selectAll()
      .where('return_id', 'in', [...ids])
      .execute(),
  ]);
  const orderIds = [...new Set(rets.map((r) => r.order_id))];
  const events = orderIds.length
    ? await db
        .selectFrom('order_events')
        .select(['event_key', 'status', 'note', 'data', 'at'])
        .where('order_id', 'in', orderIds)
        .where('event_key', 'like', 'return:%')
        .orderBy('id')
        .execute()
    : [];
  const byId = new Map(rets.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const ret = byId.get(id);
    if (!ret) return [];
    return [
      {
        ret,
        lines: lines.filter((l) => l.return_id === id),
        events: events.filter((e) => e.event_key.startsWith(`return:${id}:`)),
        refund: refunds.find((r) => r.return_id === id),
      },
    ];
  });
}

export async function getReturnRecord(db: Db, id: string): Promise<ReturnRecord | undefined> {
  return (await getReturnRecords(db, [id]))[0];
}

export function getReturnHead(db: Db, id: string) {
  return db
    .selectFrom('returns')
    .select(['id', 'order_id', 'customer_id', 'status', 'request_hash', 'workflow_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findReturnByParcel(db: Db, carrier: string, trackingNumber: string) {
  return db
    .selectFrom('returns')
    .select(['id', 'order_id', 'workflow_id', 'status', 'label_tracking_status'])
    .where('label_tracking_number', '=', trackingNumber)
    .where('label_carrier', '=', carrier)
    .executeTakeFirst();
}

/** Keyset position of a returns list: newest first by (created_at, id). */
export interface ReturnCursor {
  createdAt: string;
  id: string;
}

export async function listReturnIds(
  db: Db,
  f: { orderId?: string; status?: ReturnStatus; limit: number; after?: ReturnCursor },
): Promise<{ rows: Array<{ id: string; cursor_ts: string }>; hasMore: boolean }> {
  let q = db
    .selectFrom('returns')
    .select(['id', sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_ts')]);
  if (f.orderId) q = q.where('order_id', '=', f.orderId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.after) q = q.where(sql<boolean>`(created_at, id) < (${f.after.createdAt}::timestamptz, ${f.after.id})`);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return { rows: rows.slice(0, f.limit), hasMore: rows.length > f.limit };
}
