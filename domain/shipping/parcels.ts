/**
 * Parcel planning: order lines become parcels by weight (products' `attributes.weightGrams`).
 * Pure, so the API (rate quoting), the activities (order pricing, booking) and tests agree on what
 * a carrier is asked to price.
 */
import { AppError } from '../errors';

export interface WeightedLine {
  sku: string;
  quantity: number;
  weightGrams: number;
}

export interface Parcel {
  weightGrams: number;
}

/** Carriers' common per-parcel limit; heavier shipments are split into several parcels. */
export const MAX_PARCEL_GRAMS = 30_000;
/** Used when a product has no (valid) `attributes.weightGrams`. */
export const DEFAULT_ITEM_GRAMS = 500;

/** A product's shipping weight from its attributes, or the default. */
export function weightFromAttributes(attributes: Record<string, unknown> | null | undefined): number {
  const w = attributes?.weightGrams;
  const n = typeof w === 'string' ? Number(w) : w;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.ceil(n) : DEFAULT_ITEM_GRAMS;
}

/**
 * First-fit decreasing over single items: deterministic for a given set of lines (order of lines
 * does not matter), every parcel at most MAX_PARCEL_GRAMS unless one item alone is heavier.
 */
export function planParcels(lines: readonly WeightedLine[], maxGrams = MAX_PARCEL_GRAMS): Parcel[] {
  const items: number[] = [];
  for (const l of lines) for (let i = 0; i < l.quantity; i++) items.push(l.weightGrams);
  items.sort((a, b) => b - a);
  const parcels: number[] = [];
  for (const w of items) {
    const idx = parcels.findIndex((p) => p + w <= maxGrams);
    if (idx >= 0) parcels[idx] = (parcels[idx] as number) + w;
    else parcels.push(w);
  }
  return parcels.map((weightGrams) => ({ weightGrams }));
}

/**
 * The parcels for requested lines, given the weights of the products that exist (by sku, as
 * `loadProductWeights` reads them). A sku without a weight is not a live product: `invalid_request`
 * naming every such `items[i].sku`.
 */
export function parcelsForItems(items: readonly { sku: string; quantity: number }[], weights: ReadonlyMap<string, number>): Parcel[] {
  const errors = items.flatMap((i, idx) =>
    weights.has(i.sku) ? [] : [{ path: `items[${idx}].sku`, message: `unknown sku ${i.sku}`, sku: i.sku }],
  );
  if (errors.length) throw new AppError('invalid_request', `Unknown sku: ${[...new Set(errors.map((e) => e.sku))].join(', ')}`, { errors });
  return planParcels(items.map((i) => ({ ...i, weightGrams: weights.get(i.sku) as number })));
}
