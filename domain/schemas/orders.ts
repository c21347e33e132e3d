/** Order request and response schemas (CONTRACT.md "Orders"); they validate requests and document them. */
import { ORDER_STATUSES } from '../db-enums';
import { TRACKING_STATUSES } from '../shipping/tracking';
import { HttpsUrlSchema } from './catalog';
import { intParam, limitParam, MoneySchema, multiLine, PageSchema, singleLine, z } from './common';

const text = (max: number) => singleLine().trim().min(1).max(max);

export const SkuSchema = singleLine()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a SKU (letters, digits, . _ -)');

export const CustomerIdSchema = singleLine()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'must be a customer id (letters, digits, . _ : @ -)');

export const OrderIdSchema = singleLine()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an order id');

export const OrderItemRequestSchema = z.strictObject({
  sku: SkuSchema,
  quantity: z.number().int().min(1).max(1000),
});

export const ShippingAddressSchema = z
  .strictObject({
    name: text(200),
    line1: text(200),
    line2: singleLine().trim().max(200).optional(),
    city: text(100),
    postalCode: singleLine()
      .trim()
      .min(2)
      .max(12)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 -]*[A-Za-z0-9]$/, 'must be a postal code'),
    country: singleLine().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. US'),
  })
  .openapi('ShippingAddress');

export const ShippingChoiceSchema = z
  .union([
    z.strictObject({ quoteId: singleLine().min(1).max(200) }),
    z.strictObject({ carrier: singleLine().min(1).max(50), service: singleLine().min(1).max(50) }),
  ])
  .openapi('ShippingChoice', { description: 'A quote from POST /v1/shipping/rates, or a carrier and service priced at order time' });

export const PlaceOrderBodySchema = z
  .strictObject({
    customerId: CustomerIdSchema,
    email: z.email().max(254),
    items: z
      .array(OrderItemRequestSchema)
      .min(1)
      .max(100)
      .superRefine((items, ctx) => {
        const seen = new Map<string, number>();
        items.forEach((item, i) => {
          if (seen.has(item.sku)) {
            ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: `duplicate sku (also items[${seen.get(item.sku)}])` });
          } else seen.set(item.sku, i);
        });
      }),
    shippingAddress: ShippingAddressSchema,
    shipping: ShippingChoiceSchema,
    payment: z.strictObject({ token: singleLine().min(1).max(200) }),
  })
  .openapi('PlaceOrderRequest', {
    example: {
      customerId: 'c-42',
      email: 'ada@example.com',
      items: [{ sku: 'KTL-1001', quantity: 1 }],
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Market St', city: 'San Francisco', postalCode: '94107', country: 'US' },
      shipping: { carrier: 'parcelpro', service: 'standard' },
      payment: { token: 'tok_visa' },
    },
  });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBodySchema>;

export const IdempotencyKeySchema = singleLine()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7E]+$/, 'must be 1–255 printable ASCII characters');

export const PlaceOrderHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema });

export const OrderStatusSchema = z.enum(ORDER_STATUSES);

export const FailureSchema = z
  .object({ code: z.string(), message: z.string(), step: z.string(), retryable: z.boolean() })
  .openapi('OrderFailure');
export type Failure = z.infer<typeof FailureSchema>;

export const OrderSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    email: z.string(),
    status: OrderStatusSchema,
    items: z.array(
      z.object({ sku: z.string(), name: z.string(), quantity: z.number().int(), unitPrice: MoneySchema, lineTotal: MoneySchema }),
    ),
    totals: z.object({ subtotal: MoneySchema, shipping: MoneySchema, total: MoneySchema }),
    shipping: z.object({
      carrier: z.string().nullable(),
      service: z.string().nullable(),
      quoteId: z.string().optional(),
      trackingNumber: z.string().optional(),
      trackingStatus: z.string().optional(),
      trackingUrl: z.string().optional().openapi({ format: 'uri', description: 'The carrier’s tracking page (https only)' }),
    }),
    shippingAddress: ShippingAddressSchema.optional(),
    timeline: z.array(z.object({ status: z.string(), at: z.string(), note: z.string().optional() })),
    failure: FailureSchema.optional(),
    /** Refunds of the capture (returns and goodwill refunds); `refunded` is the sum of those done. */
    refunds: z
      .array(
        z.object({
          id: z.string(),
          kind: z.enum(['return', 'goodwill']),
          returnId: z.string().optional(),
          amount: MoneySchema,
          reason: z.string().optional(),
          status: z.enum(['pending', 'refunded']),
          createdAt: z.string(),
          refundedAt: z.string().optional(),
        }),
      )
      .optional(),
    refunded: MoneySchema.optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Order');
export type OrderView = z.infer<typeof OrderSchema>;

export const OrderSummarySchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    status: OrderStatusSchema,
    total: MoneySchema,
    itemCount: z.number().int(),
    /** Why a `failed` order waits for support (absent otherwise). */
    failure: FailureSchema.optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('OrderSummary');
export type OrderSummary = z.infer<typeof OrderSummarySchema>;

export const OrderPageSchema = PageSchema(OrderSummarySchema).openapi('OrderPage');

export const OrderIdParamsSchema = z.strictObject({ id: OrderIdSchema });
export const CustomerParamsSchema = z.strictObject({ customerId: CustomerIdSchema });

export const CustomerOrdersQuerySchema = z.strictObject({
  status: OrderStatusSchema.optional(),
  limit: limitParam,
  cursor: singleLine().max(200).optional(),
});

export const OpsOrdersQuerySchema = z.strictObject({
  status: OrderStatusSchema.optional(),
  customerId: CustomerIdSchema.optional(),
  limit: limitParam,
  cursor: singleLine().max(200).optional(),
});

export const CancelOrderBodySchema = z
  .strictObject({ reason: multiLine().trim().min(1).max(500).optional() })
  .openapi({ example: { reason: 'Customer ordered the wrong size' } })
  .optional();

export const SetStatusBodySchema = z
  .strictObject({
    status: OrderStatusSchema,
    note: multiLine().trim().max(500),
    carrier: singleLine().min(1).max(50).optional(),
    service: singleLine().min(1).max(50).optional(),
    trackingNumber: singleLine().min(1).max(100).optional(),
    trackingUrl: HttpsUrlSchema.max(500).optional(),
  })
  .openapi({ example: { status: 'delivered', note: 'Signed for at the front desk' } });

/** POST /v1/ops/orders/{id}/ship: book with the order's carrier and service unless others are named. */
export const ShipBodySchema = z
  .strictObject({
    carrier: singleLine().trim().min(1).max(50).optional(),
    service: singleLine().trim().min(1).max(50).optional(),
    note: multiLine().trim().max(500).optional(),
  })
  .openapi({ example: { carrier: 'swiftship', service: 'express', note: 'Customer asked for express' } })
  .optional();

export const RetryBodySchema = z
  .strictObject({ note: multiLine().trim().max(500).optional() })
  .openapi({ example: { note: 'Payment provider is back' } })
  .optional();

export const AcceptedSchema = z.object({ id: z.string(), status: OrderStatusSchema, location: z.string() }).openapi('OrderAccepted');

export { intParam };

/** The fields every order event on the SSE stream carries (`data:` JSON; `id:` repeats `id`). */
const OrderEventBase = z.object({
  id: z.number().int().positive(),
  orderId: OrderIdSchema,
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  at: z.iso.datetime({ offset: true }),
});

/** `data:` of `event: status`: a change of the order's status. */
export const OrderStatusEventSchema = OrderEventBase.extend({ type: z.literal('status'), status: OrderStatusSchema }).openapi(
  'OrderStatusEvent',
);

/** `data:` of `event: tracking`: a carrier tracking update of the order's parcel. */
export const OrderTrackingEventSchema = OrderEventBase.extend({
  type: z.literal('tracking'),
  status: z.enum(TRACKING_STATUSES),
}).openapi('OrderTrackingEvent');
