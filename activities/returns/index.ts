/**
 * Activities of the return workflow (and the order workflow's goodwill refunds). Each is
 * idempotent by the return id + step: the return row by id, timeline events by key, the label by
 * the carrier's Idempotency-Key `{returnId}:label`, the restock by the ledger reference
 * `return:{returnId}:{sku}`, the refund by the provider's Idempotency-Key `{returnId}:refund`
 * (reserved in `refunds` first, within the capture), emails by (order, kind:return) through the
 * order emails' claim and record (email.ts).
 */

import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { publishOrderEvent } from '../../cache/order-events';
import { loadProductWeights } from '../../db/queries/product-weights';
import {
  BooksRefusal,
  completeRefund,
  findRefundByKey,
  getReturnRecord,
  type NewReturn,
  openReturn,
  quoteReturnRefund,
  RETURN_REJECTION_SCOPE,
  type RefundReservation,
  type ReturnStatusChange,
  receiveReturn,
  recordReturnParcel,
  recordReturnStatus,
  refundableLeft,
  reserveRefund,
} from '../../db/queries/returns';
import type { OrderEventMessage } from '../../domain/orders/types';
import { goodwillRefundKey, returnLabelKey, returnRefundKey } from '../../domain/returns/identity';
import type { ReceivedItem, ReturnLabel, ReturnRefusal } from '../../domain/returns/types';
import { planParcels } from '../../domain/shipping/parcels';
import { TRACKING_NOTES, type TrackingStatus } from '../../domain/shipping/tracking';
import type { ShippingAddress, TrackingInfo } from '../../integrations/carriers';
import type { ReturnEmailKind } from '../../integrations/mail/return-templates';
import { PaymentDeclinedError, PaymentRejectedError } from '../../integrations/payments/types';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';
import { deliverOrderEmail, EmailInProgressError } from '../orders/email-delivery';
import { pollTracking } from '../shipping/tracking';
import { returnEmailKey } from './email';

function log() {
  try {
    return Context.current().log;
  } catch {
    return undefined;
  }
}

function refused(code: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

function paymentFailure(err: unknown): unknown {
  if (err instanceof BooksRefusal) return refused(err.code, err.message);
  if (err instanceof PaymentRejectedError || err instanceof PaymentDeclinedError) {
    // The provider refused the refund itself (more than is left of the capture, unknown capture):
    // no retry can fix it; the workflow parks the return `failed` for support.
    return ApplicationFailure.create({ type: 'payment_rejected', message: err.message, nonRetryable: true, cause: err });
  }
  return err; // unavailable: retryable with the same key
}

export function createReturnActivities(deps: ActivityDeps) {
  const publish = async (event: OrderEventMessage) => {
    if (!(await publishOrderEvent(deps.redis, deps.config.REDIS_KEY_PREFIX, event))) {
      log()?.warn('return event not published (redis unavailable); SSE clients catch up from Postgres', { orderId: event.orderId });
    }
  };

  const refund = async (
    r: RefundReservation & { event: { eventKey: string; status: string; note: string; data: Record<string, unknown> } },
  ) => {
    const { event: eventSpec, ...row } = r;
    const order = await deps.db.selectFrom('orders').select(['payment_capture_id']).where('id', '=', r.orderId).executeTakeFirstOrThrow();
    if (!order.payment_capture_id) throw refused('refund_exceeds_captured', `order ${r.orderId} has no captured payment to refund`);
    // Reserved in the books first: the provider is never asked for more than captured − refunded.
    const reserved = await reserveRefund(deps.db, row);
    if (reserved.status === 'succeeded' && reserved.provider_refund_id) return { refund: reserved, fresh: false };
    const paid = await deps.payments.refund({
      idempotencyKey: reserved.idempotency_key,
      captureId: order.payment_capture_id,
      amount: reserved.amount,
    });
    const { refund: done, event } = await completeRefund(deps.db, {
      idempotencyKey: reserved.idempotency_key,
      providerRefundId: paid.refundId,
      event: eventSpec,
    });
    await publish(event);
    return { refund: done, fresh: true };
  };

  return {
    /** First step: the return row (`requested`), its lines and the order's timeline event; or a refusal. */
    async openReturn(input: NewReturn): Promise<{ created: boolean }> {
      try {
        const { event, created } = await openReturn(deps.db, input);
        await publish(event);
        return { created };
      } catch (err) {
        if (err instanceof BooksRefusal) throw refused(err.code, err.message);
        throw err;
      }
    },

    /** Remembers why a return request was refused, so the same request again gets the same answer. */
    async recordReturnRefusal(input: { returnId: string; requestHash: string; refusal: ReturnRefusal }): Promise<void> {
      await deps.db
        .insertInto('idempotency_keys')
        .values({
          scope: RETURN_REJECTION_SCOPE,
          key: input.returnId,
          request_hash: input.requestHash,
          resource_id: input.returnId,
          response: JSON.stringify(input.refusal),
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .execute();
    },

    async recordReturnStatus(change: ReturnStatusChange): Promise<void> {
      await publish(await recordReturnStatus(deps.db, change));
    },

    /** A tracking change of the return parcel (first scan, delivered to the warehouse). */
    async recordReturnParcel(input: { returnId: string; carrier: string; status: TrackingStatus; at: string }): Promise<void> {
      const { event, inserted } = await recordReturnParcel(deps.db, {
        returnId: input.returnId,
        parcelStatus: input.status,
        at: input.at,
        note:
          input.status === 'delivered'
            ? `${input.carrier}: return parcel delivered to the warehouse`
            : `${input.carrier}: ${TRACKING_NOTES[input.status]}`,
      });
      if (inserted || Context.current().info.attempt > 1) await publish(event);
    },

    /**
     * Books the return label with the order's carrier, idempotent by `{returnId}:label` (the
     * carrier's Idempotency-Key): a retry, or support's retry after a failure, gets the same label.
     */
    async bookReturnLabel(input: { returnId: string }): Promise<ReturnLabel> {
      const rec = await getReturnRecord(deps.db, input.returnId);
      if (!rec) throw refused('return_not_found', `no return ${input.returnId}`);
      if (rec.ret.label_tracking_number && rec.ret.label_carrier) {
        return {
          carrier: rec.ret.label_carrier,
          service: rec.ret.label_service ?? '',
          trackingNumber: rec.ret.label_tracking_number,
          labelUrl: rec.ret.label_url,
        };
      }
      const order = await deps.db
        .selectFrom('orders')
        .select(['shipping_carrier', 'shipping_service', 'shipping_address'])
        .where('id', '=', rec.ret.order_id)
        .executeTakeFirstOrThrow();
      const carrierName = order.shipping_carrier ?? deps.carriers.names()[0] ?? '';
      const service = order.shipping_service ?? 'standard';
      const weights = await loadProductWeights(
        deps.db,
        rec.lines.map((l) => l.sku),
      );
      const parcels = planParcels(rec.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, weightGrams: weights.get(l.sku) ?? 500 })));
      try {
        const booked = await deps.carriers.require(carrierName).bookReturnLabel(
          {
            service,
            from: order.shipping_address as unknown as ShippingAddress,
            parcels,
            reference: input.returnId,
            idempotencyKey: returnLabelKey(input.returnId),
          },
          { signal: Context.current().cancellationSignal },
        );
        return { carrier: carrierName, service, trackingNumber: booked.trackingNumber, labelUrl: booked.labelUrl };
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    async pollReturnParcel(input: { carrier: string; trackingNumber: string }): Promise<TrackingInfo> {
      return pollTracking(deps, input);
    },

    /** Ops received the parcel: lines by condition, resellable units back on hand (ledger reason `return`). */
    async receiveReturn(input: { returnId: string; items: ReceivedItem[] }): Promise<{ restocked: number }> {
      const { event, restocked } = await receiveReturn(deps.db, { ...input, eventKey: 'received' });
      await publish(event);
      return { restocked };
    },

    /**
     * Refunds a received return through the provider's refund of the capture: the received lines'
     * paid prices (+ shipping when the whole order has come back), once per return.
     */
    async refundReturn(input: { returnId: string }): Promise<{ amount: number; currency: string; refunded: boolean }> {
      try {
        const key = returnRefundKey(input.returnId);
        const existing = await findRefundByKey(deps.db, key);
        let quote = existing
          ? { amount: existing.amount, currency: existing.currency.trim(), includesShipping: false, orderId: existing.order_id }
          : await quoteReturnRefund(deps.db, input.returnId);
        if (!existing) {
          // Goodwill refunds may already have given part of it back: never ask for more than is left
          // (the trigger still decides under the order's lock).
          const left = await refundableLeft(deps.db, quote.orderId);
          if (left < quote.amount) quote = { ...quote, amount: Math.max(left, 0) };
        }
        if (quote.amount <= 0) return { amount: 0, currency: quote.currency, refunded: false };
        const { refund: done } = await refund({
          id: `rf_${input.returnId.slice(4)}`,
          orderId: quote.orderId,
          returnId: input.returnId,
          kind: 'return',
          amount: quote.amount,
          currency: quote.currency,
          reason: quote.includesShipping ? 'return (with shipping)' : 'return',
          idempotencyKey: key,
          event: {
            eventKey: `return:${input.returnId}:refunded`,
            status: 'return_refunded',
            note: `refunded ${quote.amount} ${quote.currency}`,
            data: { type: 'return', returnId: input.returnId, status: 'refunded' },
          },
        });
        return { amount: done.amount, currency: done.currency.trim(), refunded: true };
      } catch (err) {
        throw paymentFailure(err);
      }
    },

    /** A goodwill refund of the order (support), idempotent by the request's key. */
    async refundGoodwill(input: {
      orderId: string;
      idempotencyKey: string;
      requestHash: string;
      amount: number;
      currency: string;
      reason: string;
    }): Promise<{ refundId: string; amount: number }> {
      try {
        const key = goodwillRefundKey(input.orderId, input.idempotencyKey);
        const existing = await findRefundByKey(deps.db, key);
        if (existing && existing.request_hash !== input.requestHash) {
          throw refused('idempotency_key_reused', 'This Idempotency-Key was used with a different refund');
        }
        const { refund: done } = await refund({
          id: `rf_${key.slice(-22)}`,
          orderId: input.orderId,
          kind: 'goodwill',
          amount: input.amount,
          currency: input.currency,
          reason: input.reason,
          idempotencyKey: key,
          requestHash: input.requestHash,
          event: {
            eventKey: `refund:${key}`,
            status: 'refunded',
            note: `goodwill refund of ${input.amount} ${input.currency}: ${input.reason}`,
            data: { type: 'refund', kind: 'goodwill' },
          },
        });
        return { refundId: done.id, amount: done.amount };
      } catch (err) {
        throw paymentFailure(err);
      }
    },

    /**
     * A return email, once per (order, kind, return): the order emails' claim → send → record
     * (activities/orders/email-delivery.ts); another execution still sending it fails this one
     * retryably.
     */
    async sendReturnEmail(input: {
      orderId: string;
      returnId: string | null;
      /** Goodwill refunds: one email per refund. */
      refundId?: string;
      kind: ReturnEmailKind;
      reason?: string;
      amount?: number;
    }) {
      const { orderId, returnId, refundId, kind, reason, amount } = input;
      const key = returnEmailKey(kind, returnId ?? refundId ?? null);
      const out = await deliverOrderEmail(deps, { orderId, kind: key, details: { returnId, refundId, reason, amount } }, 'activity');
      if (out.state === 'taken') throw new EmailInProgressError(orderId, key);
      return { sent: out.state === 'sent' };
    },
  };
}
