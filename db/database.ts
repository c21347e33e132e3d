/**
 * The Kysely `Database` type: the one description of every table. Row types used elsewhere are
 * derived from it (`Selectable<…>`, `Insertable<…>`), never copied by hand.
 */
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';
import type { MovementReason, OrderStatusValue, OutboxTopic, ReservationStatus, ReturnStatusValue } from '../domain/db-enums';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampRequired = ColumnType<Date, Date | string, Date | string>;

export interface ProductImage {
  url: string;
  alt: string;
}

export interface ProductsTable {
  id: Generated<string>;
  sku: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  price_amount: number;
  currency: string;
  images: JSONColumnType<ProductImage[]>;
  attributes: JSONColumnType<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Soft delete: order lines and the stock ledger keep pointing at the row. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface InventoryLevelsTable {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface ReservationsTable {
  id: Generated<string>;
  order_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  status: ReservationStatus;
  expires_at: TimestampRequired;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StockMovementsTable {
  id: Generated<string>;
  sku: string;
  location_id: string;
  delta_on_hand: number;
  delta_reserved: number;
  reason: MovementReason;
  order_id: string | null;
  /** Idempotency reference of the operation that caused the movement (e.g. sync job + row). */
  reference: string | null;
  created_at: Timestamp;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  email: string;
  status: OrderStatusValue;
  currency: string;
  subtotal_amount: number;
  shipping_amount: number;
  total_amount: number;
  shipping_address: JSONColumnType<Record<string, unknown>>;
  shipping_carrier: string | null;
  shipping_service: string | null;
  quote_id: string | null;
  tracking_number: string | null;
  tracking_status: string | null;
  tracking_url: string | null;
  payment_authorization_id: string | null;
  payment_capture_id: string | null;
  failure: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  idempotency_key: string;
  request_hash: string;
  workflow_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrderLinesTable {
  order_id: string;
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  unit_price_amount: number;
  line_total_amount: number;
}

export interface OrderEventsTable {
  id: Generated<string>;
  order_id: string;
  /** Idempotency key of the step that wrote the event, unique per order: a retried activity writes once. */
  event_key: string;
  status: string;
  note: string | null;
  data: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  at: Timestamp;
}

export interface ShipmentsTable {
  id: Generated<string>;
  order_id: string;
  carrier: string;
  service: string;
  tracking_number: string;
  tracking_status: string;
  tracking_url: string | null;
  label_url: string | null;
  /** Derived from the order workflow id and step: a retried booking finds its first label. */
  booking_key: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  resource_id: string | null;
  response: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface OrderNotificationsTable {
  order_id: string;
  /** confirmed | shipped | delivered | cancelled */
  kind: string;
  message_id: string;
  sent_at: Timestamp;
  /** Sends after an attempt whose fate was unknown (migration 0052): the sink may hold this many extra copies, same Message-ID. */
  ambiguous_resends: Generated<number>;
}

/** Order emails still to send (migration 0051): see db/queries/order-email-outbox.ts. */
export interface OrderEmailOutboxTable {
  order_id: string;
  kind: string;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string, Date | string>;
  last_error: string | null;
  created_at: Timestamp;
  /** Migration 0052: set by a claim, cleared by a failure that surely sent nothing. */
  sending_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Whether the current claim follows an ambiguous attempt (0052). */
  resending: Generated<boolean>;
  ambiguous_attempts: Generated<number>;
}

export interface OutboxTable {
  id: Generated<string>;
  topic: OutboxTopic;
  /** Product id for product changes, sku for stock changes. */
  aggregate_id: string;
  payload: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  /** Progress of the search sync (issue 4). */
  processed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Progress of the cache invalidator (cache/invalidator.ts), independent of the search sync. */
  cache_processed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SyncJobsTable {
  id: string;
  /** What the job does (`inventorySync`). */
  type: string;
  total: number;
  workflow_id: string;
  created_at: Timestamp;
}

/** A bulk sync's rows, staged by the API so they never travel through workflow history. */
export interface SyncJobRowsTable {
  job_id: string;
  idx: number;
  sku: string;
  location_id: string | null;
  on_hand: number;
  /** Set in the transaction that applied (or rejected) the row; null while pending. */
  outcome: 'applied' | 'unchanged' | 'rejected' | null;
  reason: string | null;
  applied_location_id: string | null;
}

export interface ReturnsTable {
  id: string;
  order_id: string;
  customer_id: string;
  status: ReturnStatusValue;
  reason: string;
  idempotency_key: string;
  request_hash: string;
  workflow_id: string;
  label_carrier: string | null;
  label_service: string | null;
  label_tracking_number: string | null;
  label_url: string | null;
  label_tracking_status: string | null;
  failure: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** Why it was rejected (the support reason, or `label_expired`). */
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One order line in a return; the quantities are checked against the order line by a trigger (0050). */
export interface ReturnLinesTable {
  return_id: string;
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  received_resellable: ColumnType<number, number | undefined, number>;
  received_damaged: ColumnType<number, number | undefined, number>;
  received_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Every refund of an order's capture; their sum is kept within the capture by a trigger (0050). */
export interface RefundsTable {
  id: string;
  order_id: string;
  return_id: string | null;
  kind: 'return' | 'goodwill';
  amount: number;
  currency: string;
  reason: string | null;
  status: 'pending' | 'succeeded';
  provider_refund_id: string | null;
  idempotency_key: string;
  request_hash: string | null;
  created_at: Timestamp;
  refunded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface Database {
  products: ProductsTable;
  inventory_levels: InventoryLevelsTable;
  reservations: ReservationsTable;
  stock_movements: StockMovementsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_events: OrderEventsTable;
  shipments: ShipmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  order_notifications: OrderNotificationsTable;
  order_email_outbox: OrderEmailOutboxTable;
  outbox: OutboxTable;
  sync_jobs: SyncJobsTable;
  sync_job_rows: SyncJobRowsTable;
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  refunds: RefundsTable;
}

export type ProductRow = Selectable<ProductsTable>;
export type ProductUpdate = Updateable<ProductsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;
export type OrderEventRow = Selectable<OrderEventsTable>;
export type ShipmentRow = Selectable<ShipmentsTable>;
export type NewShipmentRow = Insertable<ShipmentsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ReturnRow = Selectable<ReturnsTable>;
export type ReturnLineRow = Selectable<ReturnLinesTable>;
export type RefundRow = Selectable<RefundsTable>;
