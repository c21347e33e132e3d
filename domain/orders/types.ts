/**
 * What the order workflow, its activities and the API exchange. Pure types (and type-only imports),
 * so the workflow bundle can use them.
 */
import type { FieldError } from '../errors';
import type { ReturnEmailKind } from '../returns/types';
import type { Failure, PlaceOrderBody } from '../schemas/orders';
import type { OrderStatus } from './status';

export type ShippingAddress = PlaceOrderBody['shippingAddress'];
export type ShippingChoice = PlaceOrderBody['shipping'];
export type OrderItemRequest = PlaceOrderBody['items'][number];
export type { Failure };

/** Timing and retry rules, from configuration (the API puts them in the workflow input). */
export interface OrderPolicy {
  /** How long stock stays held while the payment is being authorized. */
  paymentWindowMs: number;
  /** How long a `failed` order keeps its stock waiting for support before it is cancelled. */
  failedHoldMs: number;
  /** Retry policy of every step; a step that exhausts it sets the order `failed`. */
  step: { maximumAttempts: number; initialIntervalMs: number; maximumIntervalMs: number };
  /**
   * Where and how the shipment tracking child workflow runs once a booked shipment leaves.
   * Optional: orders started before tracking existed have none (and are not tracked).
   */
  tracking?: { taskQueue: string; pollInitialMs: number; pollMaxMs: number };
}

export interface OrderWorkflowInput {
  orderId: string;
  customerId: string;
  email: string;
  idempotencyKey: string;
  requestHash: string;
  items: OrderItemRequest[];
  shippingAddress: ShippingAddress;
  shipping: ShippingChoice;
  /** A provider token (never a card number); single-use references are safe in history. */
  paymentToken: string;
  policy: OrderPolicy;
}

export interface ShippingPrice {
  carrier: string;
  service: string;
  amount: number;
  currency: string;
  quoteId?: string;
}

export interface PricedLine {
  lineNo: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface PricedOrder {
  orderId: string;
  currency: string;
  lines: PricedLine[];
  subtotal: number;
  shippingAmount: number;
  total: number;
  carrier: string;
  service: string;
}

/** Why an order was refused before it was confirmed; the API answers it as problem+json. */
export interface Rejection {
  code: 'out_of_stock' | 'payment_declined' | 'invalid_request' | 'quote_expired';
  detail: string;
  errors?: FieldError[];
}

export type PlacementResult = { outcome: 'accepted'; status: OrderStatus } | { outcome: 'rejected'; rejection: Rejection };

/** The "ship" step's input: what the manual status change (or the carrier booking, `book`) knows. */
export interface ShipRequest {
  /** Book the shipment with the carrier (POST /ship); without it the shipment is recorded as told (manual status). */
  book?: boolean;
  carrier?: string;
  service?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  note?: string;
}

export interface SetStatusRequest extends ShipRequest {
  status: OrderStatus;
}

export type OrderStep = 'price' | 'open' | 'reserve' | 'authorize' | 'confirm' | 'ship' | 'deliver' | 'cancel';

/** The workflow's own view, answered by the `state` query. */
export interface OrderWorkflowState {
  orderId: string;
  status: OrderStatus;
  failure: Failure | null;
  authorizationId: string | null;
  captureId: string | null;
  total: number | null;
  /** Set once a booked shipment has its tracking number. */
  trackingNumber?: string | null;
}

export const ORDER_EVENT_TYPES = ['status', 'tracking', 'return', 'refund'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** One order event as published on Redis and sent over SSE (`id` is order_events.id). */
export interface OrderEventMessage {
  id: number;
  orderId: string;
  /**
   * `status` for status changes; `tracking` for carrier tracking updates; `return` for a return's
   * changes (request, label, parcel, receipt, refund); `refund` for goodwill refunds.
   */
  type: OrderEventType;
  status: string;
  note: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export type EmailKind = 'confirmed' | 'shipped' | 'delivered' | 'cancelled';
/**
 * What `order_notifications` and the email outbox key an order's emails by: an order email's kind,
 * or a return email's kind and the return (or goodwill refund) it is about, `return_approved:rt_…`.
 */
export type NotificationKind = EmailKind | `${ReturnEmailKind}:${string}`;
