/**
 * The order status graph, shared by the workflow (which drives it) and the API (which checks manual
 * transitions before asking the workflow). Pure: no I/O, safe in the workflow bundle.
 *
 *   placed → confirmed → shipped → delivered
 *     │          │          │
 *     ├──────────┴──► cancelled (compensations: release stock, void or refund)
 *     └──────────┴──────────┴──► failed (a step ran out of retries) ──► back to the status it
 *                                 failed in (support retry) or cancelled
 */
import { ORDER_STATUSES, type OrderStatusValue } from '../db-enums';

export type OrderStatus = OrderStatusValue;
export { ORDER_STATUSES };

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['confirmed', 'cancelled', 'failed'],
  confirmed: ['shipped', 'cancelled', 'failed'],
  // A failure after shipment (capture, delivery bookkeeping) is resumable like any other step.
  shipped: ['delivered', 'failed'],
  delivered: [],
  cancelled: [],
  // A support retry resumes the step that failed: the status goes back to where it failed.
  failed: ['placed', 'confirmed', 'shipped', 'cancelled'],
};

/**
 * Transitions an operator may request by hand (`POST /v1/ops/orders/{id}/status`). `confirmed` is
 * only reached by an authorized payment and `failed` only by a step that ran out of retries, so
 * neither can be set by hand; leaving `failed` goes through the retry endpoint.
 */
export const MANUAL_TARGETS: readonly OrderStatus[] = ['shipped', 'delivered', 'cancelled'];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Cancellation is possible until the parcel leaves: not once shipped (or finished). */
export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, 'cancelled');
}

/** Why a manual transition is refused, or undefined when it is allowed. */
export function manualTransitionError(from: OrderStatus, to: OrderStatus): string | undefined {
  if (!MANUAL_TARGETS.includes(to)) {
    return `"${to}" cannot be set by hand (allowed: ${MANUAL_TARGETS.join(', ')})`;
  }
  if (from === 'failed' && to !== 'cancelled') {
    return 'a failed order is resumed with POST /v1/ops/orders/{id}/retry (or cancelled)';
  }
  if (!canTransition(from, to)) {
    const next = TRANSITIONS[from].filter((s) => MANUAL_TARGETS.includes(s));
    return `an order in "${from}" cannot move to "${to}"${next.length ? ` (allowed: ${next.join(', ')})` : ''}`;
  }
  return undefined;
}
