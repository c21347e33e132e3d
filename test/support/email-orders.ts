/** An order row (`placed`, one line) for the email tests, written straight to the database. */
import type { Db } from '../../db/connection';
import { insertOrder } from '../../db/queries/orders';
import { uniqueId } from './config';
import { createProduct } from './fixtures';

export async function newOrder(db: Db): Promise<string> {
  const p = await createProduct(db, { priceAmount: 1500 });
  const orderId = uniqueId('ord_');
  await insertOrder(db, {
    priced: {
      orderId,
      currency: 'USD',
      lines: [{ lineNo: 1, sku: p.sku, name: 'Teapot', quantity: 1, unitPrice: 1500, lineTotal: 1500 }],
      subtotal: 1500,
      shippingAmount: 599,
      total: 2099,
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
  });
  return orderId;
}
