/**
 * Goodwill refunds (support, `POST /v1/ops/orders/{id}/refunds`), handled by the order's workflow
 * id so an order's goodwill money has one writer: the `refund` Update on the order's own run
 * while it is open (the handler is new code, no command of an existing path changes), and once
 * that run has closed (delivered, cancelled), on an `orderRefunds` run the API starts under the
 * same id with Update-with-Start. Refunds run one at a time (a promise chain); each is reserved in
 * Postgres within captured − refunded, then refunded by the provider under its idempotency key.
 */
import { ApplicationFailure, allHandlersFinished, condition, log, setHandler } from '@temporalio/workflow';
import type { OrderPolicy } from '../../domain/orders/types';
import { type OrderActivities, orderActivities } from './activities';
import { type GoodwillRefundRequest, type GoodwillRefundResult, refundOrderUpdate } from './messages';

const KNOWN = new Set(['refund_exceeds_captured', 'idempotency_key_reused', 'payment_rejected']);

/** An activity failure as the Update's failure (an ApplicationFailure, so the Update fails, not the task). */
function asUpdateFailure(err: unknown): ApplicationFailure {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApplicationFailure && e.type && KNOWN.has(e.type)) {
      const type = e.type === 'payment_rejected' ? 'refund_exceeds_captured' : e.type;
      return ApplicationFailure.create({ type, message: e.message, nonRetryable: true });
    }
  }
  return ApplicationFailure.create({
    type: 'dependency_unavailable',
    message: 'the refund could not be completed now (payment provider); send the same request again to resume it',
    nonRetryable: true,
  });
}

/** Installs the `refund` Update handler; returns the emails it started (await them before completing). */
export function listenForRefunds(orderId: string, acts: OrderActivities, canRefund: () => string | undefined): Promise<unknown>[] {
  const emails: Promise<unknown>[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  setHandler(
    refundOrderUpdate,
    async (req: GoodwillRefundRequest): Promise<GoodwillRefundResult> => {
      const mine = chain.then(() =>
        acts.steps.refundGoodwill({
          orderId,
          idempotencyKey: req.idempotencyKey,
          requestHash: req.requestHash,
          amount: req.amount,
          currency: req.currency,
          reason: req.reason,
        }),
      );
      chain = mine.catch(() => undefined);
      let done: { refundId: string; amount: number };
      try {
        done = await mine;
      } catch (err) {
        throw asUpdateFailure(err);
      }
      emails.push(
        acts.mail
          .sendReturnEmail({
            orderId,
            returnId: null,
            refundId: done.refundId,
            kind: 'goodwill_refunded',
            amount: done.amount,
            reason: req.reason,
          })
          .catch((err) => log.warn('refund email not sent', { orderId, error: String(err) })),
      );
      return done;
    },
    {
      validator: (req) => {
        const problem = canRefund();
        if (problem) throw ApplicationFailure.create({ type: 'refund_exceeds_captured', message: problem, nonRetryable: true });
        if (!(req.amount > 0))
          throw ApplicationFailure.create({ type: 'invalid_request', message: 'amount must be positive', nonRetryable: true });
      },
    },
  );
  return emails;
}

export interface OrderRefundsInput {
  orderId: string;
  policy: OrderPolicy;
}

/** How long a refunds-only run waits for another refund before it completes. */
const IDLE_MS = 30_000;

/**
 * The refunds-only run of a closed order's workflow id: handles `refund` Updates (started by the
 * first one), then completes once it has been idle for a while.
 */
export async function orderRefunds(input: OrderRefundsInput): Promise<{ orderId: string }> {
  const acts = orderActivities(input.policy);
  // The capture is checked by the activity (Postgres): this run has no state of its own.
  const emails = listenForRefunds(input.orderId, acts, () => undefined);
  for (;;) {
    await condition(allHandlersFinished);
    const more = await condition(() => !allHandlersFinished(), IDLE_MS);
    if (!more) break;
  }
  await Promise.all(emails);
  return { orderId: input.orderId };
}
