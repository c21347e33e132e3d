/**
 * `secureOrder`: reserve the stock, authorize the payment and record `confirmed`, in one local
 * activity. The three steps were three local activities; each cost the worker a workflow
 * activation (a round trip through the workflow thread, where switching between concurrent
 * orders' sandboxes is most of the thread's CPU) and a marker, and an order's path to `confirmed`
 * was dominated by that plumbing (docs/scaling.md). Merged, the guarantees stay the steps':
 *
 * - each part is idempotent by order id (the reservation returns the allocations already held,
 *   the payment provider answers a repeated Idempotency-Key with the same authorization, the
 *   status change is keyed `confirmed`), so a retry of the whole activity — or a re-run after a
 *   worker crash — repeats nothing;
 * - a failure names its step (`details[0].step`, activities/failures.ts `failureOfStep`), so an
 *   order parks as `failed` at `reserve`, `authorize` or `confirm` as before, and support's retry
 *   resumes there (the earlier parts answer from what they already did);
 * - out of stock is an answer, not a failure: nothing is authorized.
 */
import { CancelledFailure, Context } from '@temporalio/activity';
import type { Allocation, Shortfall } from '../../domain/inventory';
import type { OrderEventMessage } from '../../domain/orders/types';
import { failureOfStep } from '../failures';
import type { createReservationActivities, ReserveStockInput } from '../inventory/reservations';
import type { createPaymentActivities } from './payments';
import type { createOrderRecordActivities } from './records';

export interface SecureOrderInput extends ReserveStockInput {
  amount: number;
  currency: string;
  token: string;
}

export type SecureOrderResult =
  | { outcome: 'out_of_stock'; shortfalls: Shortfall[] }
  | { outcome: 'confirmed'; allocations: Allocation[]; authorizationId: string; event: OrderEventMessage };

/**
 * Between parts: a cancelled order (its cancel Update, or the payment window) goes no further. The
 * workflow waits for this activity to end before it compensates (local activities' default
 * WAIT_CANCELLATION_COMPLETED), so nothing here can record `confirmed` after the compensations.
 */
function stopIfCancelled(): void {
  const signal = Context.current().cancellationSignal;
  if (signal.aborted) throw new CancelledFailure('the order was cancelled while it was being secured');
}

/** Runs one part; its error leaves tagged with the step. */
async function step<T>(name: 'reserve' | 'authorize' | 'confirm', part: () => Promise<T>): Promise<T> {
  try {
    return await part();
  } catch (err) {
    throw failureOfStep(name, err);
  }
}

export function createSecureOrderActivity(parts: {
  reservations: ReturnType<typeof createReservationActivities>;
  payments: ReturnType<typeof createPaymentActivities>;
  records: ReturnType<typeof createOrderRecordActivities>;
}) {
  return {
    async secureOrder(input: SecureOrderInput): Promise<SecureOrderResult> {
      const { orderId } = input;
      const reservation = await step('reserve', () =>
        parts.reservations.reserveStock({ orderId, lines: input.lines, holdUntil: input.holdUntil }),
      );
      if (!reservation.ok) return { outcome: 'out_of_stock', shortfalls: reservation.shortfalls };
      stopIfCancelled();
      const auth = await step('authorize', () =>
        parts.payments.authorizePayment({ orderId, amount: input.amount, currency: input.currency, token: input.token }),
      );
      stopIfCancelled();
      const event = await step('confirm', () =>
        parts.records.recordOrderStatus({
          orderId,
          eventKey: 'confirmed',
          status: 'confirmed',
          authorizationId: auth.authorizationId,
          email: { kind: 'confirmed' },
        }),
      );
      return { outcome: 'confirmed', allocations: reservation.allocations, authorizationId: auth.authorizationId, event };
    },
  };
}
