/**
 * Payment activities. Each call's Idempotency-Key is derived from the order id and the step
 * (`{orderId}:authorize`, `:capture`, `:void`, `:refund`), so Temporal's retries — or a local
 * activity re-run after a worker crash — reach the provider as the same request and never charge twice.
 */
import { PaymentDeclinedError, PaymentRejectedError } from '../../integrations/payments/types';
import type { ActivityDeps } from '../deps';
import { nonRetryable, rejection } from '../failures';

export const paymentKey = (orderId: string, step: 'authorize' | 'capture' | 'void' | 'refund') => `${orderId}:${step}`;

function mapError(err: unknown): unknown {
  if (err instanceof PaymentDeclinedError) return rejection('payment_declined', `The payment was declined (${err.declineCode})`);
  if (err instanceof PaymentRejectedError) {
    return nonRetryable('payment_rejected', err.message, {}, err);
  }
  // PaymentUnavailableError and anything unexpected: retryable, with the same key.
  return err;
}

export function createPaymentActivities(deps: ActivityDeps) {
  return {
    async authorizePayment(input: { orderId: string; amount: number; currency: string; token: string }) {
      try {
        return await deps.payments.authorize({
          idempotencyKey: paymentKey(input.orderId, 'authorize'),
          amount: input.amount,
          currency: input.currency,
          token: input.token,
          reference: input.orderId,
        });
      } catch (err) {
        throw mapError(err);
      }
    },

    async capturePayment(input: { orderId: string; authorizationId: string; amount: number }) {
      try {
        return await deps.payments.capture({
          idempotencyKey: paymentKey(input.orderId, 'capture'),
          authorizationId: input.authorizationId,
          amount: input.amount,
        });
      } catch (err) {
        throw mapError(err);
      }
    },

    /**
     * Voids the order's authorization. Without an authorization id (the authorize step was cut
     * short by a cancellation or the payment window, so whether the provider authorized is
     * unknown), the authorization is looked up by replaying the authorize request under its
     * idempotency key, then voided: whatever was authorized is released, nothing is left dangling.
     */
    async voidPayment(input: { orderId: string; authorizationId?: string; amount: number; currency: string; token: string }) {
      let authorizationId = input.authorizationId;
      if (!authorizationId) {
        try {
          const auth = await deps.payments.authorize({
            idempotencyKey: paymentKey(input.orderId, 'authorize'),
            amount: input.amount,
            currency: input.currency,
            token: input.token,
            reference: input.orderId,
          });
          authorizationId = auth.authorizationId;
        } catch (err) {
          if (err instanceof PaymentDeclinedError || err instanceof PaymentRejectedError) return { voided: false };
          throw err;
        }
      }
      try {
        await deps.payments.void({ idempotencyKey: paymentKey(input.orderId, 'void'), authorizationId });
        return { voided: true, authorizationId };
      } catch (err) {
        throw mapError(err);
      }
    },

    async refundPayment(input: { orderId: string; captureId: string; amount: number }) {
      try {
        return await deps.payments.refund({
          idempotencyKey: paymentKey(input.orderId, 'refund'),
          captureId: input.captureId,
          amount: input.amount,
        });
      } catch (err) {
        throw mapError(err);
      }
    },
  };
}
