/**
 * Availability status of a product from what can still be sold (on hand − reserved, across
 * locations). Pure: the catalog, search and inventory areas all derive the status from here, so a
 * storefront never sees "in stock" on the product page and "out of stock" in search results.
 */
export const AVAILABILITY_STATUSES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];

/** `available <= 0` → out_of_stock; `available <= lowStockThreshold` → low_stock; else in_stock. */
export function availabilityStatus(available: number, lowStockThreshold: number): AvailabilityStatus {
  if (available <= 0) return 'out_of_stock';
  if (available <= lowStockThreshold) return 'low_stock';
  return 'in_stock';
}
