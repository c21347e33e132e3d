/**
 * The order workflow's shipping prices from the real carrier integration: a `quoteId` is read from
 * the quote store of `POST /v1/shipping/rates` (and must have been made for this destination and
 * these items), a `{ carrier, service }` is priced live by that carrier for the order's parcels.
 * Replaces the flat-rate default of `shipping-rates.ts` in the worker's ActivityDeps.
 */
import { resolveQuote } from '../../cache/shipping-quotes';
import { AppError } from '../../domain/errors';
import { quoteCoversOrder } from '../../domain/shipping/rates-request';
import type { ActivityDeps } from '../deps';
import { parcelsForItems } from '../shipping/rates';
import { QuoteExpiredError, type ShippingRates, ShippingUnavailableError } from './shipping-rates';

export function carrierShippingRates(deps: Pick<ActivityDeps, 'db' | 'redis' | 'carriers'>): ShippingRates {
  return {
    async resolveQuote(quoteId, destination, items) {
      let quote: Awaited<ReturnType<typeof resolveQuote>>;
      try {
        quote = await resolveQuote(deps.redis, quoteId);
      } catch (err) {
        if (err instanceof AppError && err.code === 'quote_expired') throw new QuoteExpiredError(quoteId);
        throw err;
      }
      if (!quoteCoversOrder(quote, { destination, items })) {
        throw new ShippingUnavailableError(
          `quote ${quoteId} was made for another destination or other items; ask for rates for this order`,
          'shipping.quoteId',
        );
      }
      return { carrier: quote.carrier, service: quote.service, amount: quote.amount.amount, currency: quote.amount.currency, quoteId };
    },

    async rate(carrierName, service, destination, items) {
      const carrier = deps.carriers.get(carrierName);
      if (!carrier) {
        throw new ShippingUnavailableError(
          `unknown carrier "${carrierName}" (enabled: ${deps.carriers.names().join(', ')})`,
          'shipping.carrier',
        );
      }
      const parcels = await parcelsForItems(deps, items);
      const rates = await carrier.rates({
        destination: { country: destination.country, postalCode: destination.postalCode, city: destination.city },
        parcels,
      });
      const rate = rates.find((r) => r.service === service);
      if (!rate) {
        throw new ShippingUnavailableError(
          `${carrierName} does not offer "${service}" to this destination (offered: ${rates.map((r) => r.service).join(', ')})`,
          'shipping.service',
        );
      }
      return { carrier: carrierName, service, amount: rate.amount.amount, currency: rate.amount.currency };
    },
  };
}
