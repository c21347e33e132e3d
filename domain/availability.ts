/**
 * Availability status from what can still be reserved (on hand − reserved, across locations).
 * Pure: the catalog, search documents and anything else showing stock use this one rule.
 */
export const AVAILABILITY_STATUSES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];

/** `available <= 0` → out_of_stock; `available <= lowStockThreshold` → low_stock; else in_stock. */
export function availabilityStatus(available: number, lowStockThreshold: number): AvailabilityStatus {
  if (available <= 0) return 'out_of_stock';
  if (available <= lowStockThreshold) return 'low_stock';
  return 'in_stock';
}
