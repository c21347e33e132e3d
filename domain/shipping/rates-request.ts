/**
 * Normalizing a rates request, so that requests meaning the same shipment (sku order, repeated
 * skus, case and spacing of the postal code) share one hash — the cache key of their quotes.
 */
import { createHash } from 'node:crypto';
import type { RatesRequest } from '../schemas/shipping';

export interface NormalizedRatesRequest {
  destination: { country: string; postalCode: string; city?: string };
  items: { sku: string; quantity: number }[];
}

export function normalizeRatesRequest(req: RatesRequest): NormalizedRatesRequest {
  const qty = new Map<string, number>();
  for (const i of req.items) qty.set(i.sku, (qty.get(i.sku) ?? 0) + i.quantity);
  const items = [...qty].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
  const destination: NormalizedRatesRequest['destination'] = {
    country: req.destination.country.toUpperCase(),
    postalCode: req.destination.postalCode.toUpperCase().replace(/[\s-]+/g, ''),
  };
  const city = req.destination.city?.trim().toLowerCase().replace(/\s+/g, ' ');
  if (city) destination.city = city;
  return { destination, items };
}

/** Stable hash of a normalized request (key order fixed by construction). */
export function ratesRequestHash(n: NormalizedRatesRequest): string {
  const canonical = JSON.stringify([
    n.destination.country,
    n.destination.postalCode,
    n.destination.city ?? null,
    n.items.map((i) => [i.sku, i.quantity]),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * Whether a quote computed for `quoted` prices an order shipping `items` to `destination`: same
 * country, postal code (normalized) and items (merged, any order). The city is not compared — a
 * rates request may omit it while an address always has one.
 */
export function quoteCoversOrder(
  quoted: Pick<NormalizedRatesRequest, 'destination' | 'items'>,
  order: { destination: { country: string; postalCode: string }; items: { sku: string; quantity: number }[] },
): boolean {
  const n = normalizeRatesRequest({
    destination: { country: order.destination.country, postalCode: order.destination.postalCode },
    items: order.items,
  });
  return (
    n.destination.country === quoted.destination.country &&
    n.destination.postalCode === quoted.destination.postalCode &&
    JSON.stringify(n.items) === JSON.stringify(quoted.items)
  );
}
