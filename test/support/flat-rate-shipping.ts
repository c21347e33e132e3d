/**
 * Flat shipping prices for tests of other parts of the order (timers, emails) that should not
 * depend on a carrier being reachable: a fixed price per service for every given carrier, and no
 * quotes (any `quoteId` is `quote_expired`). Injected as `deps.shippingRates`.
 */
import { QuoteExpiredError, type ShippingRates, ShippingUnavailableError } from '../../activities/shipping/pricing';

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
