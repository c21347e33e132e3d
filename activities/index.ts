/**
 * All activities, built by one factory from injected clients. Workflows import only the type
 * (`proxyActivities<Activities>`), so nothing with I/O reaches the workflow bundle.
 */
import type { ActivityDeps } from './deps';
import { withFailureVocabulary } from './failures';
import { createHoldSweepActivities } from './inventory/holds';
import { createReservationActivities } from './inventory/reservations';
import { createInventorySyncActivities } from './inventory/sync';
import { createOrderActivities } from './orders';
import { createReturnActivities } from './returns';
import { createSearchActivities } from './search';
import { createShippingBookingActivities } from './shipping/booking';
import { createShippingRateActivities } from './shipping/rates';
import { createShippingTrackingActivities } from './shipping/tracking';
import { createSystemActivities } from './system';

/** Every activity maps its errors through one vocabulary (activities/failures.ts). */
export function createActivities(deps: ActivityDeps) {
  const reservations = createReservationActivities(deps);
  return withFailureVocabulary({
    ...createSystemActivities(deps),
    ...reservations,
    ...createInventorySyncActivities(deps),
    ...createHoldSweepActivities(deps),
    ...createSearchActivities(deps),
    ...createShippingRateActivities(deps),
    ...createShippingBookingActivities(deps),
    ...createShippingTrackingActivities(deps),
    ...createOrderActivities(deps, reservations),
    ...createReturnActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
