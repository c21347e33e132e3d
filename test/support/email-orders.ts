/** Order rows for tests of the order's rows and emails, written straight to the database. */
import type { Db } from '../../db/connection';
import { insertOrder, type NewOrder } from '../../db/queries/orders';
import { uniqueId } from './config';
import { createProduct } from './fixtures';

/** A `NewOrder` of `quantities.length` lines of `sku` at `unitPrice` (shipping 599). */
export function newOrderRow(sku: string, unitPrice: number, opts: { orderId?: string; quantities?: number[] } = {}): NewOrder {
  const orderId = opts.orderId ?? uniqueId('ord_');
  const lines = (opts.quantities ?? [1]).map((quantity, i) => ({
    lineNo: i + 1,
    sku,
    name: 'Teapot',
    quantity,
    unitPrice,
    lineTotal: quantity * unitPrice,
  }));
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  return {
    priced: {
      orderId,
      currency: 'USD',
      lines,
      subtotal,
      shippingAmount: 599,
      total: subtotal + 599,
      carrier: 'swiftship',
      service: 'standard',
    },
    customerId: uniqueId('c-'),
    email: 'ada@example.com',
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'London', postalCode: 'N1', country: 'GB' },
    quoteId: null,
    idempotencyKey: uniqueId('k'),
    requestHash: 'h',
    workflowId: `order-${orderId}`,
  };
}

/** An order row (`placed`, one line of a new product at 15.00) in the database; its id. */
export async function newOrder(db: Db): Promise<string> {
  const p = await createProduct(db, { priceAmount: 1500 });
  const row = newOrderRow(p.sku, 1500);
  await insertOrder(db, row);
  return row.priced.orderId;
}
