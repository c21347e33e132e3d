/**
 * Tracking statuses every carrier adapter maps onto, and their order. A parcel only moves forward:
 * an event whose rank is not above the last recorded one (a replayed or late webhook, a stale poll)
 * changes nothing. `delivered` and `returned` end tracking.
 */
export const TRACKING_STATUSES = ['label_created', 'in_transit', 'out_for_delivery', 'delivered', 'returned'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

const RANK: Record<TrackingStatus, number> = {
  label_created: 0,
  in_transit: 1,
  out_for_delivery: 2,
  delivered: 3,
  returned: 3,
};

export function trackingRank(status: TrackingStatus): number {
  return RANK[status];
}

export function isFinalTrackingStatus(status: TrackingStatus): boolean {
  return status === 'delivered' || status === 'returned';
}

/** True when `next` moves the parcel forward from `current` (undefined = nothing recorded yet). */
export function isTrackingAdvance(current: TrackingStatus | undefined, next: TrackingStatus): boolean {
  if (current === undefined) return true;
  if (isFinalTrackingStatus(current)) return false;
  return RANK[next] > RANK[current];
}

export const TRACKING_NOTES: Record<TrackingStatus, string> = {
  label_created: 'Shipping label created',
  in_transit: 'Parcel in transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  returned: 'Returned to sender',
};
