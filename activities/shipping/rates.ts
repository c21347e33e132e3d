/** Activities of the shippingQuote workflow, and the parcels of a shipment being booked. */
import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { readCachedRates, type StoredQuote, storeCarrierQuotes } from '../../cache/shipping-quotes';
import { AppError } from '../../domain/errors';
import type { Quote } from '../../domain/schemas/shipping';
import type { Parcel } from '../../domain/shipping/parcels';
import type { NormalizedRatesRequest } from '../../domain/shipping/rates-request';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';
import { loadParcels } from './pricing';

export interface FetchCarrierRatesInput {
  carrier: string;
  requestHash: string;
  request: NormalizedRatesRequest;
  parcels: Parcel[];
  /** One HTTP call's budget. */
  timeoutMs: number;
  ttlSeconds: number;
}

export function newQuoteId(): string {
  return `q_${randomBytes(10).toString('hex')}`;
}

export function createShippingRateActivities(deps: ActivityDeps) {
  return {
    /**
     * Asks one carrier for its rates and stores them as quotes (each with its own id and the
     * request's expiry) plus the request's cache entry. One attempt = one HTTP call bounded by
     * `timeoutMs`; the workflow's retry policy decides about the next attempt.
     */
    async fetchCarrierRates(input: FetchCarrierRatesInput): Promise<Quote[]> {
      const carrier = deps.carriers.get(input.carrier);
      if (!carrier) throw toActivityFailure(new AppError('invalid_request', `carrier ${input.carrier} is not enabled on this worker`));
      // An identical request that finished a moment ago already stored this carrier's quotes:
      // return them (same quoteIds) rather than pricing again and overwriting them.
      const cached = (await readCachedRates(deps.redis, input.requestHash, [input.carrier])).get(input.carrier);
      if (cached?.ok) return cached.quotes;
      let rates: Awaited<ReturnType<typeof carrier.rates>>;
      try {
        rates = await carrier.rates(
          { destination: input.request.destination, parcels: input.parcels },
          { timeoutMs: input.timeoutMs, signal: Context.current().cancellationSignal },
        );
      } catch (err) {
        throw toActivityFailure(err);
      }
      const expiresAt = new Date(Date.now() + input.ttlSeconds * 1000).toISOString();
      const quotes: StoredQuote[] = rates.map((r) => ({
        quoteId: newQuoteId(),
        carrier: input.carrier,
        service: r.service,
        amount: r.amount,
        estimatedDays: r.estimatedDays,
        expiresAt,
        requestHash: input.requestHash,
        destination: input.request.destination,
        items: input.request.items,
        parcels: input.parcels,
      }));
      await storeCarrierQuotes(deps.redis, input.requestHash, input.carrier, quotes, input.ttlSeconds);
      return quotes.map(({ quoteId, carrier: c, service, amount, estimatedDays }) => ({
        quoteId,
        carrier: c,
        service,
        amount,
        estimatedDays,
        expiresAt,
      }));
    },

    /** Parcels for order lines (weights from products.attributes.weightGrams). */
    async planShipmentParcels(input: { items: { sku: string; quantity: number }[] }): Promise<Parcel[]> {
      try {
        return await loadParcels(deps.db, input.items);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
