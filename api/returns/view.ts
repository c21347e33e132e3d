/** Postgres rows → the contract's Return and Refund shapes, and opaque keyset cursors for return lists. */
import type { RefundRow } from '../../db/database';
import type { ReturnCursor, ReturnRecord } from '../../db/queries/returns';
import { decodeCursor as decode, encodeCursor as encode } from '../../domain/cursor';
import { AppError } from '../../domain/errors';
import { z } from '../../domain/schemas/common';
import type { Failure } from '../../domain/schemas/orders';
import type { RefundView, ReturnView } from '../../domain/schemas/returns';

const iso = (d: Date | string) => new Date(d).toISOString();
const money = (amount: number, currency: string) => ({ amount, currency: currency.trim() });

export function toReturnView({ ret, lines, events, refund }: ReturnRecord): ReturnView {
  const received = ret.status === 'received' || ret.status === 'refunded' || (ret.status === 'failed' && lines.some((l) => l.received_at));
  return {
    id: ret.id,
    orderId: ret.order_id,
    status: ret.status,
    items: lines.map((l) => {
      const n = l.received_resellable + l.received_damaged;
      const condition = n > 0 && l.received_damaged === 0 ? 'resellable' : n > 0 && l.received_resellable === 0 ? 'damaged' : undefined;
      return {
        sku: l.sku,
        quantity: l.quantity,
        ...(received || l.received_at
          ? { received: n, resellable: l.received_resellable, damaged: l.received_damaged, ...(condition ? { condition } : {}) }
          : {}),
      };
    }),
    reason: ret.reason,
    ...(ret.label_tracking_number && ret.label_carrier
      ? { label: { carrier: ret.label_carrier, trackingNumber: ret.label_tracking_number, labelUrl: ret.label_url } }
      : {}),
    ...(refund
      ? {
          refund: {
            amount: money(refund.amount, refund.currency),
            status: refund.status === 'succeeded' ? ('refunded' as const) : ('pending' as const),
            ...(refund.refunded_at ? { refundedAt: iso(refund.refunded_at) } : {}),
          },
        }
      : {}),
    timeline: events.map((e) => {
      const data = (e.data ?? {}) as { status?: string };
      return { status: data.status ?? e.status.replace(/^return_/, ''), at: iso(e.at), ...(e.note ? { note: e.note } : {}) };
    }),
    ...(ret.failure && ret.status === 'failed' ? { failure: ret.failure as unknown as Failure } : {}),
    ...(ret.note ? { note: ret.note } : {}),
    createdAt: iso(ret.created_at),
    updatedAt: iso(ret.updated_at),
  };
}

export function toRefundView(r: RefundRow): RefundView {
  return {
    id: r.id,
    kind: r.kind,
    ...(r.return_id ? { returnId: r.return_id } : {}),
    amount: money(r.amount, r.currency),
    ...(r.reason ? { reason: r.reason } : {}),
    status: r.status === 'succeeded' ? 'refunded' : 'pending',
    createdAt: iso(r.created_at),
    ...(r.refunded_at ? { refundedAt: iso(r.refunded_at) } : {}),
  };
}

const CursorSchema = z.tuple([z.string().refine((s) => !Number.isNaN(Date.parse(s))), z.string().min(1).max(64)]);

export const encodeReturnCursor = (c: ReturnCursor) => encode([c.createdAt, c.id]);

export function decodeReturnCursor(cursor: string | undefined): ReturnCursor | undefined {
  if (cursor === undefined) return undefined;
  const pos = decode(cursor, CursorSchema);
  if (!pos)
    throw new AppError('invalid_request', 'The cursor is not one this API issued', {
      errors: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  return { createdAt: pos[0], id: pos[1] };
}
