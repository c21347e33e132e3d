/**
 * Shared zod building blocks for request and response schemas. Query strings arrive as strings
 * (or arrays when repeated); these helpers coerce strictly so `minPrice=abc` or `limit=1.5` fail.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

/** Integer from a query string: digits only (optional leading minus), no floats, no blanks. */
export function intParam(opts: { min?: number; max?: number } = {}) {
  let n = z.number().int();
  if (opts.min !== undefined) n = n.min(opts.min);
  if (opts.max !== undefined) n = n.max(opts.max);
  return z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform((s) => Number(s))
    .pipe(n);
}

/** A parameter that may repeat (`?brand=a&brand=b`) or be comma-free single; always an array. */
export function repeatable<T extends z.ZodType<string>>(item: T) {
  return z
    .union([item, z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .openapi({ type: 'array', items: { type: 'string' } });
}

export const limitParam = intParam({ min: 1, max: 100 }).optional().default(20);

export const MoneySchema = z
  .object({
    amount: z.number().int().openapi({ description: 'Integer amount in minor units (cents)' }),
    currency: z.string().length(3).openapi({ example: 'USD' }),
  })
  .openapi('Money');
export type Money = z.infer<typeof MoneySchema>;

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() }).catchall(z.unknown());

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
    requestId: z.string(),
  })
  .openapi('Problem');

export const PageSchema = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });
