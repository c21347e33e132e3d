/**
 * Prices in minor units (USD cents): log-normal around each leaf's median, so most of the catalog
 * sits between $5 and $100 with a long tail into the thousands, then rounded the way shops price
 * ($7.49, $24.99, $1,299.99).
 */
import type { Faker } from '@faker-js/faker';
import type { LeafCategory } from './categories';
import { normal } from './rng';

/** Rounds a dollar amount to a shelf price and returns cents (always a positive integer). */
export function shelfPriceCents(usd: number): number {
  let cents: number;
  if (usd < 10) {
    // $3.99, $4.49, $9.99: nearest half dollar minus a cent.
    cents = Math.max(1, Math.round(usd * 2) * 50) - 1;
  } else if (usd < 200) {
    cents = Math.round(usd) * 100 - 1; // $24.99
  } else if (usd < 1000) {
    cents = Math.round(usd / 5) * 500 - 1; // $249.99, $255 → $254.99
  } else {
    cents = Math.round(usd / 10) * 1000 - 1; // $1,299.99
  }
  return Math.max(99, cents);
}

/**
 * A house-brand product's price: log-normal around the leaf median, clamped to the leaf's range,
 * times `multiplier` (bigger option tiers cost more).
 */
export function leafPriceCents(f: Faker, leaf: LeafCategory, multiplier = 1): number {
  const { median, sigma, min, max } = leaf.price;
  const usd = Math.min(max, Math.max(min, median * Math.exp(sigma * normal(f))));
  return shelfPriceCents(usd * multiplier);
}

/**
 * A model line's price: its list price, bumped for a bigger option tier (more storage, a larger
 * screen), sometimes on sale.
 */
export function linePriceCents(f: Faker, listUsd: number, optionTier: number): number {
  let usd = listUsd * (1 + 0.12 * optionTier);
  if (f.datatype.boolean(0.2)) usd *= f.helpers.arrayElement([0.9, 0.85, 0.8, 0.75]);
  return shelfPriceCents(usd);
}
