/**
 * Shipping pricing as the order workflow needs it, behind one interface in ActivityDeps
 * (`deps.shippingRates`) so the carrier integration can replace the default without touching the
 * workflow: `resolveQuote(quoteId)` for a quote from `POST /v1/shipping/rates`, `rate(…)` for a
 * carrier and service priced at order time.
 *
 * The worker uses the carrier-backed implementation (`carrier-shipping-rates.ts`). `flatRateShipping`
 * prices from a fixed table and knows no quotes: for tests of other parts of the order (timers,
 * emails) that should not depend on a carrier being reachable.
 */
import type { ShippingAddress, ShippingPrice } from '../../domain/orders/types';

export interface ShippingItem {
  sku: string;
  quantity: number;
}

/** A quote id that is unknown or past its expiry. */
export class QuoteExpiredError extends Error {
  constructor(readonly quoteId: string) {
    super(`shipping quote ${quoteId} is unknown or expired; ask for new rates`);
    this.name = 'QuoteExpiredError';
  }
}

/** A carrier or service that cannot ship (not configured, unknown service, destination refused). */
export class ShippingUnavailableError extends Error {
  constructor(
    message: string,
    readonly path: 'shipping.carrier' | 'shipping.service' | 'shipping.quoteId' | 'shippingAddress',
  ) {
    super(message);
    this.name = 'ShippingUnavailableError';
  }
}

export interface ShippingRates {
  /** The quote's price (it must belong to the same destination and items), or QuoteExpiredError. */
  resolveQuote(quoteId: string, destination: ShippingAddress, items: ShippingItem[]): Promise<ShippingPrice>;
  /** A live price for one carrier's service, or ShippingUnavailableError. */
  rate(carrier: string, service: string, destination: ShippingAddress, items: ShippingItem[]): Promise<ShippingPrice>;
}

/** Flat prices per service in USD cents, the same for every enabled carrier. */
export const FLAT_RATES: Readonly<Record<string, number>> = {
  standard: 599,
  express: 1499,
  overnight: 2999,
};

export function flatRateShipping(opts: { carriers: readonly string[] }): ShippingRates {
  return {
    async resolveQuote(quoteId) {
      throw new QuoteExpiredError(quoteId);
    },
    async rate(carrier, service) {
      if (!opts.carriers.includes(carrier)) {
        throw new ShippingUnavailableError(`unknown carrier "${carrier}" (available: ${opts.carriers.join(', ')})`, 'shipping.carrier');
      }
      const amount = FLAT_RATES[service];
      if (amount === undefined) {
        throw new ShippingUnavailableError(
          `unknown service "${service}" (available: ${Object.keys(FLAT_RATES).join(', ')})`,
          'shipping.service',
        );
      }
      return { carrier, service, amount, currency: 'USD' };
    },
  };
}
