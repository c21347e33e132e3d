/** Request and response schemas of the shipping endpoints (CONTRACT.md: Shipping rates, carrier webhooks). */
import { TRACKING_STATUSES } from '../shipping/tracking';
import { MoneySchema, singleLine, z } from './common';

export const DestinationSchema = z
  .strictObject({
    country: singleLine()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
      .transform((s) => s.toUpperCase())
      .openapi({ example: 'US' }),
    postalCode: singleLine()
      .trim()
      .min(1)
      .max(16)
      .regex(/^[A-Za-z0-9 -]*$/, 'letters, digits, spaces and dashes only')
      .openapi({ example: '10001' }),
    city: singleLine().trim().min(1).max(100).optional(),
  })
  .openapi('ShippingDestination');

export const RateItemSchema = z.strictObject({
  sku: singleLine().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
});

export const RatesRequestSchema = z
  .strictObject({
    destination: DestinationSchema,
    items: z.array(RateItemSchema).min(1).max(100),
  })
  .openapi('ShippingRatesRequest', {
    example: { destination: { country: 'US', postalCode: '94107', city: 'San Francisco' }, items: [{ sku: 'KTL-1001', quantity: 2 }] },
  });
export type RatesRequest = z.infer<typeof RatesRequestSchema>;

export const QuoteSchema = z
  .object({
    quoteId: z.string().openapi({ example: 'q_3f1c0e7a9b2d4c55a1e2' }),
    carrier: z.string().openapi({ example: 'swiftship' }),
    service: z.string().openapi({ example: 'ground' }),
    amount: MoneySchema,
    estimatedDays: z.number().int(),
    expiresAt: z.iso.datetime(),
  })
  .openapi('ShippingQuote');
export type Quote = z.infer<typeof QuoteSchema>;

export const UnavailableCarrierSchema = z
  .object({
    carrier: z.string(),
    reason: z.string().openapi({ example: 'timeout', description: 'timeout | unavailable | rejected | invalid_response' }),
  })
  .openapi('UnavailableCarrier');
export type UnavailableCarrier = z.infer<typeof UnavailableCarrierSchema>;

export const RatesResponseSchema = z
  .object({ quotes: z.array(QuoteSchema), unavailable: z.array(UnavailableCarrierSchema) })
  .openapi('ShippingRates');
export type RatesResponse = z.infer<typeof RatesResponseSchema>;

export const CarrierParamsSchema = z.strictObject({ carrier: singleLine().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/) });

export const TrackingStatusSchema = z.enum(TRACKING_STATUSES);

export const WebhookAckSchema = z
  .object({
    status: z.enum(['accepted', 'ignored']),
    reason: z.string().optional(),
  })
  .openapi('CarrierWebhookAck');
