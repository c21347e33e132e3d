/** The provisional order (202 while the workflow has not written the order yet): catalog prices, the catalog's currency. */
import { provisionalOrderView } from '../../api/orders/view';
import { OrderSchema, PlaceOrderBodySchema } from '../../domain/schemas/orders';
import { orderBody } from '../support/orders';

test('the provisional order prices the lines from the catalog in the catalog currency, shipping unpriced', () => {
  const body = PlaceOrderBodySchema.parse(
    orderBody([
      { sku: 'A-1', quantity: 2 },
      { sku: 'B-2', quantity: 1 },
    ]),
  );
  const products = [
    { sku: 'A-1', name: 'Alpha', price_amount: 1250, currency: 'EUR' },
    { sku: 'B-2', name: 'Beta', price_amount: 300, currency: 'EUR' },
  ];
  const now = new Date('2026-01-02T03:04:05.000Z');
  const view = provisionalOrderView('ord_x', body, products, now);
  expect(OrderSchema.parse(view)).toEqual(view);
  expect(view.status).toBe('placed');
  expect(view.items).toEqual([
    { sku: 'A-1', name: 'Alpha', quantity: 2, unitPrice: { amount: 1250, currency: 'EUR' }, lineTotal: { amount: 2500, currency: 'EUR' } },
    { sku: 'B-2', name: 'Beta', quantity: 1, unitPrice: { amount: 300, currency: 'EUR' }, lineTotal: { amount: 300, currency: 'EUR' } },
  ]);
  expect(view.totals).toEqual({
    subtotal: { amount: 2800, currency: 'EUR' },
    shipping: { amount: 0, currency: 'EUR' },
    total: { amount: 2800, currency: 'EUR' },
  });
  expect(view.timeline).toEqual([{ status: 'placed', at: '2026-01-02T03:04:05.000Z' }]);
});
