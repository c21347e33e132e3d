/**
 * One page of orders, newest first: the customer's list and the operations list are the same
 * query with other filters. The cursor is the opaque keyset position of domain/cursor.ts:
 * `[createdAt, id]` of the last order on the page.
 */
import type { Db } from '../../db/connection';
import { listOrders } from '../../db/queries/orders';
import { CursorTimestampSchema, decodeCursor, encodeCursor } from '../../domain/cursor';
import { AppError } from '../../domain/errors';
import type { OrderStatus } from '../../domain/orders/status';
import { z } from '../../domain/schemas/common';
import { OrderIdSchema, type OrderSummary } from '../../domain/schemas/orders';
import { toOrderSummary } from './view';

/**
 * `[createdAt, id]`, checked as strictly as Postgres reads it: a time like "1" parses in
 * JavaScript but is no timestamptz (it was a 500).
 */
export const OrderPosition = z.tuple([CursorTimestampSchema, OrderIdSchema]);

export interface OrderPageFilter {
  customerId?: string;
  status?: OrderStatus;
  limit: number;
  cursor?: string;
}

export async function orderPage(db: Db, f: OrderPageFilter): Promise<{ data: OrderSummary[]; nextCursor: string | null }> {
  let after: { createdAt: string; id: string } | undefined;
  if (f.cursor !== undefined) {
    const position = decodeCursor(f.cursor, OrderPosition);
    if (!position) {
      throw new AppError('invalid_request', 'The cursor is not one this API issued', {
        errors: [{ path: 'cursor', message: 'invalid cursor' }],
      });
    }
    after = { createdAt: position[0], id: position[1] };
  }
  const { rows, hasMore } = await listOrders(db, {
    ...(f.customerId ? { customerId: f.customerId } : {}),
    ...(f.status ? { status: f.status } : {}),
    limit: f.limit,
    ...(after ? { after } : {}),
  });
  const last = rows[rows.length - 1];
  return {
    data: rows.map(toOrderSummary),
    nextCursor: hasMore && last ? encodeCursor([last.cursor_ts, last.id]) : null,
  };
}
