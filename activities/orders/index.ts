import type { PricedOrder, ShippingChoice } from '../../domain/orders/types';
import type { ActivityDeps } from '../deps';
import type { createReservationActivities } from '../inventory/reservations';
import { createNotificationActivities } from './notifications';
import { createPaymentActivities } from './payments';
import { createPricingActivities } from './pricing';
import { createOrderRecordActivities, type OpenOrderInput } from './records';
import { createSecureOrderActivity } from './secure';

/**
 * Everything the order workflow calls, besides the inventory reservation activities (given, so
 * `secureOrder` runs the very ones the worker registers).
 */
export function createOrderActivities(deps: ActivityDeps, reservations: ReturnType<typeof createReservationActivities>) {
  const pricing = createPricingActivities(deps);
  const records = createOrderRecordActivities(deps);
  const payments = createPaymentActivities(deps);
  return {
    ...pricing,
    ...records,
    ...payments,
    ...createNotificationActivities(deps),
    ...createSecureOrderActivity({ reservations, payments, records }),
    /**
     * `priceShipping` then `openOrder` in one local activity: one marker and one workflow
     * activation fewer per order (each costs the worker a round trip through the workflow thread).
     * Same guarantees as the two calls: both are bookkeeping with the same retry policy, pricing
     * is a read, `openOrder` is idempotent by order id (a retry returns the stored price), and a
     * shipping refusal is the same non-retryable rejection.
     */
    async openPricedOrder(input: OpenPricedOrderInput): Promise<PricedOrder> {
      const { shippingChoice, ...order } = input;
      const shipping = await pricing.priceShipping({ shipping: shippingChoice, destination: order.shippingAddress, items: order.items });
      return records.openOrder({ ...order, shipping });
    },
  };
}

export interface OpenPricedOrderInput extends Omit<OpenOrderInput, 'shipping'> {
  shippingChoice: ShippingChoice;
}
