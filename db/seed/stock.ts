/**
 * Starting stock per location: ~5% of SKUs out of stock everywhere, ~10% low (1–5 units in total),
 * the rest healthy (tens to hundreds of units, occasionally none at one warehouse).
 */
import type { Faker } from '@faker-js/faker';
import { LOCATIONS } from '../../domain/db-enums';
import { logUniformInt } from './rng';

export type LocationId = (typeof LOCATIONS)[number];
export type StockByLocation = Record<LocationId, number>;
export type StockProfile = 'out' | 'low' | 'healthy';

export const OUT_OF_STOCK_SHARE = 0.05;
export const LOW_STOCK_SHARE = 0.1;
/** Low stock means 1..LOW_STOCK_MAX units available across all locations. */
export const LOW_STOCK_MAX = 5;

function zeroStock(): StockByLocation {
  return Object.fromEntries(LOCATIONS.map((loc) => [loc, 0])) as StockByLocation;
}

export function totalStock(stock: StockByLocation): number {
  return LOCATIONS.reduce((sum, loc) => sum + stock[loc], 0);
}

export function stockProfileOf(stock: StockByLocation): StockProfile {
  const total = totalStock(stock);
  return total === 0 ? 'out' : total <= LOW_STOCK_MAX ? 'low' : 'healthy';
}

export function generateStock(f: Faker): StockByLocation {
  const stock = zeroStock();
  const roll = f.number.float({ min: 0, max: 1 });
  if (roll < OUT_OF_STOCK_SHARE) return stock;
  if (roll < OUT_OF_STOCK_SHARE + LOW_STOCK_SHARE) {
    const units = f.number.int({ min: 1, max: LOW_STOCK_MAX });
    for (let u = 0; u < units; u++) {
      const loc = f.helpers.arrayElement(LOCATIONS);
      stock[loc] += 1;
    }
    return stock;
  }
  // Healthy: each warehouse usually carries it; fast movers carry hundreds.
  const scale = f.number.float({ min: 0, max: 1 }) < 0.15 ? 1_000 : 250;
  for (const loc of LOCATIONS) {
    stock[loc] = f.datatype.boolean(0.12) ? 0 : logUniformInt(f, 3, scale);
  }
  const total = totalStock(stock);
  if (total <= LOW_STOCK_MAX) {
    const loc = f.helpers.arrayElement(LOCATIONS);
    stock[loc] += LOW_STOCK_MAX + 1 - total + f.number.int({ min: 0, max: 20 });
  }
  return stock;
}
