/** Activities of the shippingQuote workflow and the order workflow's use of a quote. */
import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { readCachedRates, resolveQuote, type StoredQuote, storeCarrierQuotes } from '../../cache/shipping-quotes';
import { loadProductWeights } from '../../db/queries/product-weights';
import { AppError } from '../../domain/errors';
import type { Quote } from '../../domain/schemas/shipping';
import { type Parcel, planParcels } from '../../domain/shipping/parcels';
import type { NormalizedRatesRequest } from '../../domain/shipping/rates-request';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';

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

/** The parcels for a set of order lines, from the products' weights; unknown skus → `invalid_request`. */
export async function parcelsForItems(deps: Pick<ActivityDeps, 'db'>, items: { sku: string; quantity: number }[]): Promise<Parcel[]> {
  const weights = await loadProductWeights(
    deps.db,
    items.map((i) => i.sku),
  );
  const errors = items.flatMap((i, idx) =>
    weights.has(i.sku) ? [] : [{ path: `items[${idx}].sku`, message: `unknown sku ${i.sku}`, sku: i.sku }],
  );
  if (errors.length) throw new AppError('invalid_request', `Unknown sku: ${errors.map((e) => e.sku).join(', ')}`, { errors });
  return planParcels(items.map((i) => ({ ...i, weightGrams: weights.get(i.sku) as number })));
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

    /**
     * The current price of one carrier service for an order that names `{ carrier, service }`
     * instead of a quote. Unknown carrier or service → non-retryable `invalid_request`.
     */
    async priceCarrierService(input: {
      carrier: string;
      service: string;
      destination: { country: string; postalCode: string; city?: string };
      items: { sku: string; quantity: number }[];
    }): Promise<{ carrier: string; service: string; amount: Quote['amount']; estimatedDays: number; parcels: Parcel[] }> {
      try {
        const carrier = deps.carriers.get(input.carrier);
        if (!carrier)
          throw new AppError('invalid_request', `Unknown carrier ${input.carrier}`, {
            errors: [{ path: 'shipping.carrier', message: 'not an enabled carrier' }],
          });
        const parcels = await parcelsForItems(deps, input.items);
        const rates = await carrier.rates({ destination: input.destination, parcels }, { signal: Context.current().cancellationSignal });
        const rate = rates.find((r) => r.service === input.service);
        if (!rate) {
          throw new AppError('invalid_request', `${input.carrier} does not offer ${input.service} to this destination`, {
            errors: [{ path: 'shipping.service', message: `offered: ${rates.map((r) => r.service).join(', ')}` }],
          });
        }
        return { carrier: input.carrier, service: rate.service, amount: rate.amount, estimatedDays: rate.estimatedDays, parcels };
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    /** Parcels for order lines (weights from products.attributes.weightGrams). */
    async planShipmentParcels(input: { items: { sku: string; quantity: number }[] }): Promise<Parcel[]> {
      try {
        return await parcelsForItems(deps, input.items);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    /**
     * The quote an order chose. Fails with a non-retryable `quote_expired` ApplicationFailure when
     * it is unknown or expired (the API should check first with `resolveQuote` for a 409).
     */
    async resolveShippingQuote(input: { quoteId: string }): Promise<StoredQuote> {
      try {
        return await resolveQuote(deps.redis, input.quoteId);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
