/**
 * Pricing activities. Client prices are never trusted: line prices come from the catalog row of
 * each sku, shipping from `deps.shippingRates`.
 */

import { productsForPricing } from '../../db/queries/orders';
import type { FieldError } from '../../domain/errors';
import { MAX_AMOUNT, multiplyAmount, sumAmounts } from '../../domain/money';
import type { OrderItemRequest, PricedOrder, ShippingAddress, ShippingChoice, ShippingPrice } from '../../domain/orders/types';
import type { ActivityDeps } from '../deps';
import { rejection } from '../failures';
import { QuoteExpiredError, ShippingUnavailableError } from '../shipping/pricing';

export interface PriceShippingInput {
  shipping: ShippingChoice;
  destination: ShippingAddress;
  items: OrderItemRequest[];
}

/** Prices the lines from the catalog; unknown (or deleted) skus are a rejection naming `items[i].sku`. */
export async function priceLines(
  deps: ActivityDeps,
  orderId: string,
  items: OrderItemRequest[],
  shipping: ShippingPrice,
): Promise<PricedOrder> {
  const products = await productsForPricing(
    deps.db,
    items.map((i) => i.sku),
  );
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const errors: FieldError[] = [];
  items.forEach((item, i) => {
    const p = bySku.get(item.sku);
    if (!p) errors.push({ path: `items[${i}].sku`, message: `unknown sku ${item.sku}` });
    else if (p.currency.trim() !== shipping.currency) {
      errors.push({ path: `items[${i}].sku`, message: `priced in ${p.currency}, the order is in ${shipping.currency}` });
    }
  });
  if (errors.length) throw rejection('invalid_request', 'Some items cannot be ordered', errors);
  const lines = items.map((item, i) => {
    const p = bySku.get(item.sku);
    if (!p) throw new Error('unreachable');
    const lineTotal = multiplyAmount(p.price_amount, item.quantity);
    if (lineTotal === undefined) errors.push({ path: `items[${i}].quantity`, message: `the line total exceeds ${MAX_AMOUNT}` });
    return {
      lineNo: i + 1,
      sku: item.sku,
      name: p.name,
      quantity: item.quantity,
      unitPrice: p.price_amount,
      lineTotal: lineTotal ?? 0,
    };
  });
  const subtotal = sumAmounts(lines.map((l) => l.lineTotal));
  const total = subtotal === undefined ? undefined : sumAmounts([subtotal, shipping.amount]);
  if (total === undefined && !errors.length) errors.push({ path: 'items', message: `the order total exceeds ${MAX_AMOUNT}` });
  // Refused up front: Postgres' integer columns would refuse the amounts (22003) once the order is being written.
  if (errors.length || subtotal === undefined || total === undefined) {
    throw rejection('invalid_request', 'The order total is too large', errors);
  }
  return {
    orderId,
    currency: shipping.currency,
    lines,
    subtotal,
    shippingAmount: shipping.amount,
    total,
    carrier: shipping.carrier,
    service: shipping.service,
  };
}

export function createPricingActivities(deps: ActivityDeps) {
  return {
    /** `{ quoteId }` → the quote's price; `{ carrier, service }` → a live rate. Refusals are non-retryable. */
    async priceShipping(input: PriceShippingInput): Promise<ShippingPrice> {
      const items = input.items.map((i) => ({ sku: i.sku, quantity: i.quantity }));
      try {
        if ('quoteId' in input.shipping) {
          const price = await deps.shippingRates.resolveQuote(input.shipping.quoteId, input.destination, items);
          return { ...price, quoteId: input.shipping.quoteId };
        }
        return await deps.shippingRates.rate(input.shipping.carrier, input.shipping.service, input.destination, items);
      } catch (err) {
        if (err instanceof QuoteExpiredError) {
          throw rejection('quote_expired', err.message, [{ path: 'shipping.quoteId', message: 'unknown or expired quote' }]);
        }
        if (err instanceof ShippingUnavailableError) {
          throw rejection('invalid_request', err.message, [{ path: err.path, message: err.message }]);
        }
        throw err;
      }
    },
  };
}
