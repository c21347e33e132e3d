/** Postgres rows → the contract's Order shape and list summaries; the provisional order. */

import type { OrderRow } from '../../db/database';
import type { OrderRecord } from '../../db/queries/orders';
import { AppError } from '../../domain/errors';
import type { OrderStatus } from '../../domain/orders/status';
import type { Failure, OrderSummary, OrderView, PlaceOrderBody } from '../../domain/schemas/orders';
import { toRefundView } from '../returns/view';

function isHttpsUrl(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}

const money = (amount: number, currency: string) => ({ amount, currency: currency.trim() });
const iso = (d: Date | string) => new Date(d).toISOString();

export function toOrderView({ order, lines, events, refunds }: OrderRecord): OrderView {
  const cur = order.currency;
  const address = order.shipping_address as OrderView['shippingAddress'];
  return {
    id: order.id,
    customerId: order.customer_id,
    email: order.email,
    status: order.status as OrderStatus,
    items: lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: money(l.unit_price_amount, cur),
      lineTotal: money(l.line_total_amount, cur),
    })),
    totals: {
      subtotal: money(order.subtotal_amount, cur),
      shipping: money(order.shipping_amount, cur),
      total: money(order.total_amount, cur),
    },
    shipping: {
      carrier: order.shipping_carrier,
      service: order.shipping_service,
      ...(order.quote_id ? { quoteId: order.quote_id } : {}),
      ...(order.tracking_number ? { trackingNumber: order.tracking_number } : {}),
      ...(order.tracking_status ? { trackingStatus: order.tracking_status } : {}),
      // Returned only when https (contract v1.1): a carrier's plain-http or `javascript:` link is never handed on.
      ...(order.tracking_url && isHttpsUrl(order.tracking_url) ? { trackingUrl: order.tracking_url } : {}),
    },
    ...(address ? { shippingAddress: address } : {}),
    timeline: events.map((e) => ({ status: e.status, at: iso(e.at), ...(e.note ? { note: e.note } : {}) })),
    ...(order.failure && order.status === 'failed' ? { failure: order.failure as unknown as Failure } : {}),
    ...(refunds
      ? {
          refunds: refunds.map(toRefundView),
          refunded: money(
            refunds.filter((r) => r.status === 'succeeded').reduce((a, r) => a + r.amount, 0),
            cur,
          ),
        }
      : {}),
    createdAt: iso(order.created_at),
    updatedAt: iso(order.updated_at),
  };
}

/**
 * The order as the storefront should see it while its workflow has not written it yet (202 after
 * the synchronous window): the request's lines at catalog prices, shipping not priced yet. Every
 * sku is in `products` here — unknown skus were refused before the workflow started — and an
 * order is in one currency (the pricing step refuses a mix), so the first product's is the order's.
 */
export function provisionalOrderView(
  orderId: string,
  body: PlaceOrderBody,
  products: readonly { sku: string; name: string; price_amount: number; currency: string }[],
  now = new Date(),
): OrderView {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const currency = products[0]?.currency;
  if (!currency) throw new AppError('internal', 'No catalog price for a provisional order');
  const items = body.items.map((i) => {
    const p = bySku.get(i.sku);
    const unit = p?.price_amount ?? 0;
    return {
      sku: i.sku,
      name: p?.name ?? i.sku,
      quantity: i.quantity,
      unitPrice: money(unit, currency),
      lineTotal: money(unit * i.quantity, currency),
    };
  });
  const subtotal = items.reduce((a, i) => a + i.lineTotal.amount, 0);
  const at = iso(now);
  return {
    id: orderId,
    customerId: body.customerId,
    email: body.email,
    status: 'placed',
    items,
    totals: { subtotal: money(subtotal, currency), shipping: money(0, currency), total: money(subtotal, currency) },
    shipping:
      'carrier' in body.shipping
        ? { carrier: body.shipping.carrier, service: body.shipping.service }
        : { carrier: null, service: null, quoteId: body.shipping.quoteId },
    shippingAddress: body.shippingAddress,
    timeline: [{ status: 'placed', at }],
    createdAt: at,
    updatedAt: at,
  };
}

export function toOrderSummary(row: OrderRow & { item_count: number }): OrderSummary {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as OrderStatus,
    total: money(row.total_amount, row.currency),
    itemCount: Number(row.item_count),
    ...(row.failure && row.status === 'failed' ? { failure: row.failure as unknown as Failure } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
