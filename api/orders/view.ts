/** Postgres rows → the contract's Order shape, list summaries and opaque keyset cursors. */

import type { OrderRow } from '../../db/database';
import type { OrderCursor, OrderRecord } from '../../db/queries/orders';
import { AppError } from '../../domain/errors';
import type { OrderStatus } from '../../domain/orders/status';
import type { Failure, OrderSummary, OrderView } from '../../domain/schemas/orders';
import { toRefundView } from '../returns/view';

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
      ...(order.tracking_url ? { trackingUrl: order.tracking_url } : {}),
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

export function toOrderSummary(row: OrderRow & { item_count: number }): OrderSummary {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as OrderStatus,
    total: money(row.total_amount, row.currency),
    itemCount: Number(row.item_count),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function encodeCursor(c: OrderCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): OrderCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    // fall through
  }
  throw new AppError('invalid_request', 'The cursor is not one this API issued', {
    errors: [{ path: 'cursor', message: 'invalid cursor' }],
  });
}
