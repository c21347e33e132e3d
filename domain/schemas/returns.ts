/** Return and refund request and response schemas (CONTRACT.md v1.1 "Returns and refunds"). */
import { RETURN_CONDITIONS, RETURN_STATUSES } from '../db-enums';
import { limitParam, MoneySchema, multiLine, PageSchema, z } from './common';
import { FailureSchema, IdempotencyKeySchema, SkuSchema } from './orders';

const uniqueSkus = <T extends { sku: string }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (seen.has(item.sku))
      ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: `duplicate sku (also items[${seen.get(item.sku)}])` });
    else seen.set(item.sku, i);
  });
};

export const ReturnStatusSchema = z.enum(RETURN_STATUSES);
export const ReturnConditionSchema = z.enum(RETURN_CONDITIONS);

export const ReturnIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a return id');

export const RequestReturnBodySchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ sku: SkuSchema, quantity: z.number().int().min(1).max(1000) }))
      .min(1)
      .max(100)
      .superRefine(uniqueSkus),
    reason: multiLine().trim().min(1).max(500),
  })
  .openapi('ReturnRequest', { example: { items: [{ sku: 'KTL-1001', quantity: 1 }], reason: 'Arrived dented' } });
export type RequestReturnBody = z.infer<typeof RequestReturnBodySchema>;

export const IdempotentHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema });

export const RejectReturnBodySchema = z
  .strictObject({ reason: multiLine().trim().min(1).max(500) })
  .openapi({ example: { reason: 'Outside the return window' } });

/** One line per (sku, condition): the same sku may come back partly resellable, partly damaged. */
export const ReceiveReturnBodySchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ sku: SkuSchema, quantity: z.number().int().min(1).max(1000), condition: ReturnConditionSchema }))
      .min(1)
      .max(200)
      .superRefine((items, ctx) => {
        const seen = new Map<string, number>();
        items.forEach((item, i) => {
          const k = `${item.sku}\n${item.condition}`;
          if (seen.has(k))
            ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: `duplicate sku and condition (also items[${seen.get(k)}])` });
          else seen.set(k, i);
        });
      }),
  })
  .openapi('ReceiveReturnRequest', {
    example: {
      items: [
        { sku: 'KTL-1001', quantity: 1, condition: 'resellable' },
        { sku: 'KTL-1002', quantity: 1, condition: 'damaged' },
      ],
    },
  });
export type ReceiveReturnBody = z.infer<typeof ReceiveReturnBodySchema>;

export const RetryReturnBodySchema = z
  .strictObject({ note: multiLine().trim().max(500).optional() })
  .openapi({ example: { note: 'Refund provider is back' } })
  .optional();

export const GoodwillRefundBodySchema = z
  .strictObject({
    amount: z.strictObject({ amount: z.number().int().min(1).max(100_000_000), currency: z.string().regex(/^[A-Z]{3}$/) }),
    reason: multiLine().trim().min(1).max(500),
  })
  .openapi('GoodwillRefundRequest', { example: { amount: { amount: 500, currency: 'USD' }, reason: 'Late delivery' } });
export type GoodwillRefundBody = z.infer<typeof GoodwillRefundBodySchema>;

export const ReturnLabelSchema = z
  .object({ carrier: z.string(), trackingNumber: z.string(), labelUrl: z.string().nullable() })
  .openapi('ReturnLabel');

export const ReturnSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: ReturnStatusSchema,
    items: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number().int(),
        received: z.number().int().optional(),
        condition: ReturnConditionSchema.optional().openapi({ description: 'Set when every received unit had the same condition' }),
        resellable: z.number().int().optional(),
        damaged: z.number().int().optional(),
      }),
    ),
    reason: z.string(),
    label: ReturnLabelSchema.optional(),
    refund: z.object({ amount: MoneySchema, status: z.enum(['pending', 'refunded']), refundedAt: z.string().optional() }).optional(),
    timeline: z.array(z.object({ status: z.string(), at: z.string(), note: z.string().optional() })),
    failure: FailureSchema.optional(),
    note: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Return');
export type ReturnView = z.infer<typeof ReturnSchema>;

export const ReturnListSchema = z.object({ data: z.array(ReturnSchema) }).openapi('ReturnList');
export const ReturnPageSchema = PageSchema(ReturnSchema).openapi('ReturnPage');

export const ReturnParamsSchema = z.strictObject({ id: ReturnIdSchema });

export const OpsReturnsQuerySchema = z.strictObject({
  status: ReturnStatusSchema.optional(),
  limit: limitParam,
  cursor: z.string().max(200).optional(),
});

export const RefundSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['return', 'goodwill']),
    returnId: z.string().optional(),
    amount: MoneySchema,
    reason: z.string().optional(),
    status: z.enum(['pending', 'refunded']),
    createdAt: z.string(),
    refundedAt: z.string().optional(),
  })
  .openapi('Refund');
export type RefundView = z.infer<typeof RefundSchema>;
