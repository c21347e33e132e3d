/**
 * What the return workflow, its activities and the API exchange. Pure types, safe in the workflow
 * bundle.
 */
import type { ReturnCondition, ReturnStatusValue } from '../db-enums';
import type { Failure } from '../schemas/orders';

export type ReturnStatus = ReturnStatusValue;
export type { ReturnCondition };

export interface ReturnItemRequest {
  sku: string;
  quantity: number;
}

export interface ReceivedItem {
  sku: string;
  quantity: number;
  condition: ReturnCondition;
}

/** Timing and retry rules, from configuration (the API puts them in the workflow input). */
export interface ReturnPolicy {
  /** Only orders delivered within this window may be returned. */
  windowMs: number;
  /** An approved return whose parcel never moves is closed (`rejected`, `label_expired`) after this long. */
  labelValidMs: number;
  /** Retry policy of the label booking and the refund; a refund that exhausts it parks the return `failed`. */
  step: { maximumAttempts: number; initialIntervalMs: number; maximumIntervalMs: number };
  /** Carrier polls of the return parcel between webhooks (growing, durable sleeps). */
  poll: { initialMs: number; maxMs: number };
}

export interface ReturnWorkflowInput {
  returnId: string;
  orderId: string;
  customerId: string;
  idempotencyKey: string;
  requestHash: string;
  items: ReturnItemRequest[];
  reason: string;
  policy: ReturnPolicy;
}

/** Why a return request was refused before it existed (the API answers it as problem+json). */
export interface ReturnRefusal {
  code: 'return_not_allowed' | 'order_not_found' | 'invalid_request';
  detail: string;
}

export type ReturnRequestResult = { outcome: 'accepted'; status: ReturnStatus } | { outcome: 'refused'; refusal: ReturnRefusal };

export type ReturnStep = 'open' | 'label' | 'receive' | 'refund';

export interface ReturnLabel {
  carrier: string;
  service: string;
  trackingNumber: string;
  labelUrl: string | null;
}

/** The workflow's own view, answered by the `state` query. */
export interface ReturnWorkflowView {
  returnId: string;
  orderId: string;
  status: ReturnStatus;
  label: ReturnLabel | null;
  parcel: string | null;
  refundAmount: number | null;
  failure: Failure | null;
}

export type ReturnEmailKind = 'return_approved' | 'return_rejected' | 'return_refunded' | 'goodwill_refunded';

/** The refund a received return is owed (computed from the stored lines and prices). */
export interface RefundQuote {
  amount: number;
  currency: string;
  /** true when every unit of the order has come back: shipping is refunded too. */
  includesShipping: boolean;
}
