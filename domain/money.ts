/**
 * Money arithmetic in integer minor units. Every amount the shop stores sits in a Postgres
 * `integer` column, so a sum or product that passes 2^31 − 1 is not an amount: these helpers say
 * so (undefined) instead of handing Postgres a value it refuses (22003) — an order of 1000 units
 * of an expensive product is refused up front rather than failing in the workflow.
 */

/** The largest amount (minor units) any money column holds. */
export const MAX_AMOUNT = 2_147_483_647;

export function isAmount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_AMOUNT;
}

/** unit × quantity, or undefined when it is not an amount. */
export function multiplyAmount(unit: number, quantity: number): number | undefined {
  if (!isAmount(unit) || !Number.isSafeInteger(quantity) || quantity < 0) return undefined;
  const total = unit * quantity;
  return isAmount(total) ? total : undefined;
}

/** The sum of amounts, or undefined when any of them or the sum is not an amount. */
export function sumAmounts(amounts: readonly number[]): number | undefined {
  let total = 0;
  for (const a of amounts) {
    if (!isAmount(a)) return undefined;
    total += a;
    if (total > MAX_AMOUNT) return undefined;
  }
  return total;
}
