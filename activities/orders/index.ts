import type { ActivityDeps } from '../deps';
import { createNotificationActivities } from './notifications';
import { createPaymentActivities } from './payments';
import { createPricingActivities } from './pricing';
import { createOrderRecordActivities } from './records';

/** Everything the order workflow calls, besides the inventory reservation activities. */
export function createOrderActivities(deps: ActivityDeps) {
  return {
    ...createPricingActivities(deps),
    ...createOrderRecordActivities(deps),
    ...createPaymentActivities(deps),
    ...createNotificationActivities(deps),
  };
}
