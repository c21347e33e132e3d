/**
 * The order workflow's messages: what the API (placement, customer and ops routes) and the
 * shipment tracking workflow send it. Defined once here, so sender and handler cannot disagree on
 * names or payloads.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus } from '../../domain/orders/status';
import type { OrderStep, OrderWorkflowState, PlacementResult, SetStatusRequest } from '../../domain/orders/types';

/** Update-with-Start target: resolves once the order is confirmed, refused or failed. */
export const placeOrderUpdate = defineUpdate<PlacementResult, [{ requestHash: string }]>('placeOrder');
/** Cancels with compensations; refused (`order_not_cancellable`) once shipped. */
export const cancelOrderUpdate = defineUpdate<{ status: OrderStatus }, [{ reason?: string; by?: string }]>('cancel');
/** Support: a `failed` order resumes at the step that failed; refused (`order_not_failed`) otherwise. */
export const retryOrderUpdate = defineUpdate<{ status: OrderStatus; step: OrderStep | null }, [{ by?: string; note?: string }]>('retry');
/** Ops: a manual transition along the graph (`invalid_transition` otherwise). */
export const setOrderStatusUpdate = defineUpdate<{ status: OrderStatus }, [SetStatusRequest]>('setStatus');
/**
 * Ops: book the shipment with the carrier (the order's carrier and service unless given), capture
 * the payment, commit the stock, set `shipped`, start tracking. Refused (`invalid_transition`)
 * unless the order is `confirmed`.
 */
export const shipOrderUpdate = defineUpdate<{ status: OrderStatus; trackingNumber: string | null }, [ShipOrderRequest]>('ship');
export interface ShipOrderRequest {
  carrier?: string;
  service?: string;
  note?: string;
}
/** The shipment tracking workflow reports delivery. */
export const shipmentDeliveredSignal = defineSignal<[{ trackingNumber?: string; note?: string }]>('shipmentDelivered');
export const orderStateQuery = defineQuery<OrderWorkflowState>('state');

/**
 * Support: a goodwill refund of the order's capture (no return). Handled by the order's run while
 * it is open, or — once it has closed — by an `orderRefunds` run started under the same workflow
 * id (Update-with-Start): either way the order's workflow id is the one writer of its goodwill
 * refunds, one at a time. Refused `refund_exceeds_captured` above captured − refunded.
 */
export const refundOrderUpdate = defineUpdate<GoodwillRefundResult, [GoodwillRefundRequest]>('refund');
export interface GoodwillRefundRequest {
  idempotencyKey: string;
  requestHash: string;
  amount: number;
  currency: string;
  reason: string;
  by?: string;
}
export interface GoodwillRefundResult {
  refundId: string;
  amount: number;
}

export interface OrderResult {
  orderId: string;
  status: OrderStatus;
}
