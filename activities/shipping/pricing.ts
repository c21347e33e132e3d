/**
 * Shipping pricing for orders, in one place. `ShippingRates` is what the `priceShipping` activity
 * asks (through `deps.shippingRates`, so tests of other parts of the order can inject flat rates):
 * `resolveQuote(quoteId)` for a quote from `POST /v1/shipping/rates`, `rate(…)` for a carrier and
 * service priced live at order time. `carrierShippingRates` is the real one, composed by
 * `createActivityDeps`; it takes only the clients it needs, so it does not import `../deps`.
 * `loadParcels` is the order's parcels (priced here, booked by `planShipmentParcels`).
 */

import type { Redis } from '../../cache/redis';
import { resolveQuote } from '../../cache/shipping-quotes';
import type { Db } from '../../db/connection';
import { loadProductWeights } from '../../db/queries/product-weights';
import { AppError } from '../../domain/errors';
import type { ShippingAddress, ShippingPrice } from '../../domain/orders/types';
import { type Parcel, parcelsForItems } from '../../domain/shipping/parcels';
import { quoteCoversOrder } from '../../domain/shipping/rates-request';
import type { CarrierRegistry } from '../../integrations/carriers';

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

/** The parcels for order lines, from the products' weights; unknown skus → `invalid_request`. */
export async function loadParcels(db: Db, items: readonly ShippingItem[]): Promise<Parcel[]> {
  const weights = await loadProductWeights(
    db,
    items.map((i) => i.sku),
  );
  return parcelsForItems(items, weights);
}

/**
 * Orders priced by the real carrier integration: a `quoteId` is read from the quote store of
 * `POST /v1/shipping/rates` (and must have been made for this destination and these items), a
 * `{ carrier, service }` is priced live by that carrier for the order's parcels.
 */
export function carrierShippingRates(deps: { db: Db; redis: Redis; carriers: CarrierRegistry }): ShippingRates {
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
      const parcels = await loadParcels(deps.db, items);
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
