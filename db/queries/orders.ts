/**
 * Order rows: written only by the order workflow's activities (the API reads). Every write is
 * idempotent: the order insert by primary key, timeline events by (order_id, event_key).
 */
import { type QueryCreator, sql, type Transaction } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { OrderStatus } from '../../domain/orders/status';
import type { EmailKind, Failure, OrderEventMessage, PricedOrder, Rejection, ShippingAddress } from '../../domain/orders/types';
import type { Db } from '../connection';
import type { Database, OrderEventRow, OrderLineRow, OrderRow, RefundRow } from '../database';
import { enqueueOrderEmail } from './order-email-outbox';

export interface NewOrder {
  priced: PricedOrder;
  customerId: string;
  email: string;
  shippingAddress: ShippingAddress;
  quoteId: string | null;
  idempotencyKey: string;
  requestHash: string;
  workflowId: string;
}

function eventTypeOf(data: Record<string, unknown> | null): OrderEventMessage['type'] {
  const t = data?.type;
  return t === 'tracking' || t === 'return' || t === 'refund' ? t : 'status';
}

export function toEventMessage(row: Pick<OrderEventRow, 'id' | 'order_id' | 'status' | 'note' | 'data' | 'at'>): OrderEventMessage {
  const data = row.data ?? null;
  return {
    // bigserial: the driver parses int8 as a number (db/connection.ts); the column type says string.
    id: Number(row.id),
    orderId: row.order_id,
    type: eventTypeOf(data),
    status: row.status,
    note: row.note,
    data,
    at: new Date(row.at).toISOString(),
  };
}

/** The timeline event's columns, as `toEventMessage` reads them. */
const EVENT_COLUMNS = ['id', 'order_id', 'status', 'note', 'data', 'at'] as const;

type EventInput = { orderId: string; eventKey: string; status: string; note?: string | null; data?: Record<string, unknown> | null };

/** The insert of a timeline event (nothing on a repeat of its key), as a statement of its own or a CTE. */
function insertEvent(q: QueryCreator<Database>, ev: EventInput) {
  return q
    .insertInto('order_events')
    .values({
      order_id: ev.orderId,
      event_key: ev.eventKey,
      status: ev.status,
      note: ev.note ?? null,
      data: ev.data ? JSON.stringify(ev.data) : null,
    })
    .onConflict((oc) => oc.columns(['order_id', 'event_key']).doNothing())
    .returning(EVENT_COLUMNS);
}

/**
 * Appends a timeline event once per (order, eventKey); on a repeat returns the event written the
 * first time (so a retried activity re-publishes the same id rather than a new one).
 */
export async function appendOrderEvent(
  db: Db | Transaction<Database>,
  ev: EventInput,
): Promise<{ event: OrderEventMessage; inserted: boolean }> {
  const inserted = await insertEvent(db, ev).executeTakeFirst();
  if (inserted) return { event: toEventMessage(inserted), inserted: true };
  const existing = await db
    .selectFrom('order_events')
    .select(EVENT_COLUMNS)
    .where('order_id', '=', ev.orderId)
    .where('event_key', '=', ev.eventKey)
    .executeTakeFirstOrThrow();
  return { event: toEventMessage(existing), inserted: false };
}

/**
 * Inserts the order, its lines and the `placed` event; a repeat changes nothing. One statement
 * (data-modifying CTEs: atomic like a transaction, one round trip instead of five — the order
 * path's cost is mostly round trips, docs/scaling.md); a repeat reads the event written first.
 */
export async function insertOrder(db: Db, o: NewOrder): Promise<{ event: OrderEventMessage; created: boolean }> {
  const orderId = o.priced.orderId;
  const row = await db
    .with('o', (q) =>
      q
        .insertInto('orders')
        .values({
          id: orderId,
          customer_id: o.customerId,
          email: o.email,
          status: 'placed',
          currency: o.priced.currency,
          subtotal_amount: o.priced.subtotal,
          shipping_amount: o.priced.shippingAmount,
          total_amount: o.priced.total,
          shipping_address: JSON.stringify(o.shippingAddress),
          shipping_carrier: o.priced.carrier,
          shipping_service: o.priced.service,
          quote_id: o.quoteId,
          idempotency_key: o.idempotencyKey,
          request_hash: o.requestHash,
          workflow_id: o.workflowId,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id'),
    )
    .with('l', (q) =>
      q
        .insertInto('order_lines')
        .values(
          o.priced.lines.map((l) => ({
            order_id: orderId,
            line_no: l.lineNo,
            sku: l.sku,
            name: l.name,
            quantity: l.quantity,
            unit_price_amount: l.unitPrice,
            line_total_amount: l.lineTotal,
          })),
        )
        // A repeat keeps the lines written first (their prices are the order's).
        .onConflict((oc) => oc.columns(['order_id', 'line_no']).doNothing()),
    )
    .with('e', (q) => insertEvent(q, { orderId, eventKey: 'placed', status: 'placed' }))
    .selectFrom('e')
    .select((eb) => [
      'e.id',
      'e.order_id',
      'e.status',
      'e.note',
      'e.data',
      'e.at',
      eb.exists(eb.selectFrom('o').select('o.id')).as('created'),
    ])
    .executeTakeFirst();
  if (row) return { event: toEventMessage(row), created: row.created === true };
  // A repeat: the `placed` event is there already.
  const { event } = await appendOrderEvent(db, { orderId, eventKey: 'placed', status: 'placed' });
  return { event, created: false };
}

/** The priced order as stored (a retried `openOrder` answers from here, never re-prices). */
export async function loadPricedOrder(db: Db, orderId: string): Promise<PricedOrder | undefined> {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (!order) return undefined;
  const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('line_no').execute();
  return {
    orderId,
    currency: order.currency,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unit_price_amount,
      lineTotal: l.line_total_amount,
    })),
    subtotal: order.subtotal_amount,
    shippingAmount: order.shipping_amount,
    total: order.total_amount,
    carrier: order.shipping_carrier ?? '',
    service: order.shipping_service ?? '',
  };
}

export interface StatusChange {
  orderId: string;
  /** Idempotency key of the step (unique per order): `confirmed`, `failed:2`, `shipped`, … */
  eventKey: string;
  status: OrderStatus;
  note?: string | null;
  data?: Record<string, unknown> | null;
  /** `null` clears it (leaving `failed`); undefined leaves it alone. */
  failure?: Failure | null;
  authorizationId?: string;
  captureId?: string;
  shipping?: { carrier?: string; service?: string; trackingNumber?: string; trackingUrl?: string };
  /** An email this change calls for, queued in the same transaction (order-email-outbox.ts). */
  email?: { kind: EmailKind; details?: { reason?: string; refunded?: boolean } };
}

/**
 * Sets the status (and what came with it), appends the timeline event and queues the email the
 * change calls for — in one statement (data-modifying CTEs: atomic, one round trip instead of
 * five). A repeat of the step (same event key) answers the event written the first time.
 */
export async function recordStatusChange(db: Db, c: StatusChange): Promise<OrderEventMessage> {
  const changed = db
    .with('u', (q) =>
      q
        .updateTable('orders')
        .set({
          status: c.status,
          updated_at: sql`now()`,
          ...(c.failure !== undefined ? { failure: c.failure ? JSON.stringify(c.failure) : null } : {}),
          ...(c.authorizationId ? { payment_authorization_id: c.authorizationId } : {}),
          ...(c.captureId ? { payment_capture_id: c.captureId } : {}),
          ...(c.shipping?.carrier ? { shipping_carrier: c.shipping.carrier } : {}),
          ...(c.shipping?.service ? { shipping_service: c.shipping.service } : {}),
          ...(c.shipping?.trackingNumber ? { tracking_number: c.shipping.trackingNumber } : {}),
          ...(c.shipping?.trackingUrl ? { tracking_url: c.shipping.trackingUrl } : {}),
        })
        .where('id', '=', c.orderId),
    )
    .with('e', (q) =>
      insertEvent(q, { orderId: c.orderId, eventKey: c.eventKey, status: c.status, note: c.note ?? null, data: c.data ?? null }),
    );
  const email = c.email;
  const statement: typeof changed = email
    ? changed.with('m', (q) =>
        enqueueOrderEmail(q, {
          orderId: c.orderId,
          kind: email.kind,
          details: email.details ?? null,
          firstLeaseMs: FIRST_EMAIL_ATTEMPT_LEASE_MS,
        }),
      )
    : changed;
  const inserted = await statement.selectFrom('e').selectAll().executeTakeFirst();
  if (inserted) return toEventMessage(inserted);
  // A repeat: the event is there from the first time.
  return (await appendOrderEvent(db, { orderId: c.orderId, eventKey: c.eventKey, status: c.status })).event;
}

/** How long the process that commits a queued email has for its first attempt before a sweeper may take it. */
export const FIRST_EMAIL_ATTEMPT_LEASE_MS = 30_000;

export const ORDER_REJECTION_SCOPE = 'order-rejection';

/** Remembers why an order was refused, so the same request again gets the same answer. */
export async function recordRejection(db: Db, r: { orderId: string; requestHash: string; rejection: Rejection }): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      scope: ORDER_REJECTION_SCOPE,
      key: r.orderId,
      request_hash: r.requestHash,
      resource_id: r.orderId,
      response: JSON.stringify(r.rejection),
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .execute();
}

export async function findRejection(db: Db, orderId: string): Promise<{ requestHash: string; rejection: Rejection } | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('scope', '=', ORDER_REJECTION_SCOPE)
    .where('key', '=', orderId)
    .executeTakeFirst();
  return row ? { requestHash: row.request_hash, rejection: row.response as unknown as Rejection } : undefined;
}

export interface OrderRecord {
  order: OrderRow;
  lines: OrderLineRow[];
  events: Pick<OrderEventRow, 'id' | 'status' | 'note' | 'data' | 'at'>[];
  /** Refunds of the capture (returns and goodwill), oldest first. */
  refunds?: RefundRow[];
}

/**
 * The order with its lines, timeline and refunds in one statement (JSON sub-selects: one round
 * trip instead of four; every order answer and every order email reads it). JSON carries
 * timestamps as text: they are turned back into Dates here, so callers see the row types.
 */
export async function getOrderRecord(db: Db, orderId: string): Promise<OrderRecord | undefined> {
  const row = await db
    .selectFrom('orders')
    .selectAll('orders')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('order_lines')
          .selectAll('order_lines')
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .orderBy('order_lines.line_no'),
      ).as('lines'),
      jsonArrayFrom(
        eb
          .selectFrom('order_events')
          .select(['order_events.id', 'order_events.status', 'order_events.note', 'order_events.data', 'order_events.at'])
          .whereRef('order_events.order_id', '=', 'orders.id')
          .orderBy('order_events.id'),
      ).as('events'),
      jsonArrayFrom(
        eb
          .selectFrom('refunds')
          .selectAll('refunds')
          .whereRef('refunds.order_id', '=', 'orders.id')
          .orderBy('refunds.created_at')
          .orderBy('refunds.id'),
      ).as('refunds'),
    ])
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { lines, events, refunds, ...order } = row;
  return {
    order,
    lines,
    events: events.map((e) => ({ ...e, at: new Date(e.at) })),
    refunds: refunds.map((r) => ({
      ...r,
      created_at: new Date(r.created_at),
      refunded_at: r.refunded_at ? new Date(r.refunded_at) : null,
    })),
  };
}

export async function getOrderHead(db: Db, orderId: string) {
  return db.selectFrom('orders').select(['id', 'status', 'request_hash', 'customer_id']).where('id', '=', orderId).executeTakeFirst();
}

export async function eventsAfter(db: Db, orderId: string, afterId: number, limit = 500): Promise<OrderEventMessage[]> {
  const rows = await db
    .selectFrom('order_events')
    .select(['id', 'order_id', 'status', 'note', 'data', 'at'])
    .where('order_id', '=', orderId)
    .where('id', '>', String(afterId))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toEventMessage);
}

/** Keyset position of a list: newest first by (created_at, id). */
export interface OrderCursor {
  createdAt: string;
  id: string;
}

export async function listOrders(
  db: Db,
  f: { customerId?: string; status?: OrderStatus; limit: number; after?: OrderCursor },
): Promise<{ rows: Array<OrderRow & { cursor_ts: string; item_count: number }>; hasMore: boolean }> {
  let q = db
    .selectFrom('orders')
    .selectAll('orders')
    .select([
      sql<string>`to_char(orders.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_ts'),
      sql<number>`(SELECT coalesce(sum(quantity), 0) FROM order_lines l WHERE l.order_id = orders.id)`.as('item_count'),
    ]);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.after) q = q.where(sql<boolean>`(orders.created_at, orders.id) < (${f.after.createdAt}::timestamptz, ${f.after.id})`);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return { rows: rows.slice(0, f.limit), hasMore: rows.length > f.limit };
}

/** Products by sku, for pricing (soft-deleted products cannot be ordered). */
/**
 * What placing an order must know first, in one round trip (it ran as four parallel queries): the
 * order row's head and a recorded rejection under `orderId` (a retry), the catalog rows of the
 * requested skus, and whether a pre-v1.1 `legacyId` is taken (a retry of an unkeyed order).
 */
export async function placementLookup(db: Db, q: { orderId: string; legacyId: string | undefined; skus: readonly string[] }) {
  const { orderId, legacyId } = q;
  const row = await db
    .selectNoFrom((eb) => [
      jsonObjectFrom(eb.selectFrom('orders').select(['id', 'status', 'request_hash', 'customer_id']).where('id', '=', orderId)).as('head'),
      jsonObjectFrom(
        eb
          .selectFrom('idempotency_keys')
          .select(['request_hash', 'response'])
          .where('scope', '=', ORDER_REJECTION_SCOPE)
          .where('key', '=', orderId),
      ).as('rejection'),
      jsonArrayFrom(
        eb
          .selectFrom('products')
          .select(['sku', 'name', 'price_amount', 'currency'])
          .where('sku', 'in', q.skus.length ? [...q.skus] : [''])
          .where('deleted_at', 'is', null),
      ).as('products'),
      legacyId
        ? eb
            .or([
              eb.exists(eb.selectFrom('orders').select('id').where('id', '=', legacyId)),
              eb.exists(
                eb.selectFrom('idempotency_keys').select('key').where('scope', '=', ORDER_REJECTION_SCOPE).where('key', '=', legacyId),
              ),
            ])
            .as('legacy_taken')
        : sql<boolean>`false`.as('legacy_taken'),
    ])
    .executeTakeFirstOrThrow();
  return {
    head: row.head ?? undefined,
    rejection: row.rejection
      ? { requestHash: row.rejection.request_hash, rejection: row.rejection.response as unknown as Rejection }
      : undefined,
    products: row.products,
    legacyTaken: row.legacy_taken === true,
  };
}

export async function productsForPricing(db: Db, skus: readonly string[]) {
  if (!skus.length) return [];
  return db
    .selectFrom('products')
    .select(['sku', 'name', 'price_amount', 'currency'])
    .where('sku', 'in', [...skus])
    .where('deleted_at', 'is', null)
    .execute();
}
