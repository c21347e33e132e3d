/**
 * The order's business rows, written by the workflow through these activities (the API never
 * writes orders). Each status change is one transaction (orders row + timeline event, idempotent
 * by the step's event key) followed by a Redis publish for the live event stream.
 */
import { publishOrderEvent } from '../../cache/order-events';
import { insertOrder, loadPricedOrder, recordRejection, recordStatusChange, type StatusChange } from '../../db/queries/orders';
import type { OrderEventMessage, OrderWorkflowInput, PricedOrder, Rejection, ShippingPrice } from '../../domain/orders/types';
import { activityLog } from '../context';
import type { ActivityDeps } from '../deps';
import { createOrderEmailOutbox } from './email-outbox';
import { priceLines } from './pricing';

/** The order as the workflow was started with it, plus its workflow id and shipping price. */
export interface OpenOrderInput
  extends Pick<OrderWorkflowInput, 'orderId' | 'customerId' | 'email' | 'idempotencyKey' | 'requestHash' | 'items' | 'shippingAddress'> {
  workflowId: string;
  shipping: ShippingPrice;
}

export function createOrderRecordActivities(deps: ActivityDeps) {
  const log = activityLog(deps);
  const emails = createOrderEmailOutbox(deps);
  const publish = async (event: OrderEventMessage) => {
    if (!(await publishOrderEvent(deps.redis, deps.config.REDIS_KEY_PREFIX, event))) {
      log.warn('order event not published (redis unavailable); SSE clients catch up from Postgres', { orderId: event.orderId });
    }
  };
  return {
    /**
     * Prices the lines from the catalog and writes the order (status `placed`), its lines and the
     * first timeline event. A retry finds the row (insert … on conflict do nothing) and returns
     * the price stored the first time.
     */
    async openOrder(input: OpenOrderInput): Promise<PricedOrder> {
      let priced: PricedOrder;
      try {
        priced = await priceLines(deps, input.orderId, input.items, input.shipping);
      } catch (err) {
        // A retry after the catalog changed: the order already exists with its first prices.
        const stored = await loadPricedOrder(deps.db, input.orderId);
        if (stored) return stored;
        throw err;
      }
      const { event, created } = await insertOrder(deps.db, {
        priced,
        customerId: input.customerId,
        email: input.email,
        shippingAddress: input.shippingAddress,
        quoteId: input.shipping.quoteId ?? null,
        idempotencyKey: input.idempotencyKey,
        requestHash: input.requestHash,
        workflowId: input.workflowId,
      });
      await publish(event);
      if (created) return priced;
      // A retry: the row written by the first attempt is the truth (prices may have changed since).
      return (await loadPricedOrder(deps.db, input.orderId)) ?? priced;
    },

    /**
     * Sets the order's status with its timeline event and publishes it. With `email`, the email is
     * queued in the same transaction and its first attempt starts once this returns (see
     * email-outbox.ts): the caller does not wait for SMTP.
     */
    async recordOrderStatus(change: StatusChange): Promise<OrderEventMessage> {
      const event = await recordStatusChange(deps.db, change);
      await publish(event);
      if (change.email) emails.sendSoon(change.orderId, change.email.kind);
      return event;
    },

    /** Remembers a refusal (out of stock, declined, bad shipping) so a repeated request gets the same answer. */
    async recordOrderRejection(input: { orderId: string; requestHash: string; rejection: Rejection }): Promise<void> {
      await recordRejection(deps.db, input);
    },
  };
}
