/**
 * Shared zod building blocks for request and response schemas. Query strings arrive as strings
 * (or arrays when repeated); these helpers coerce strictly so `minPrice=abc` or `limit=1.5` fail.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { unsafeTextReason } from '../text';

extendZodWithOpenApi(z);

export { z };

// ---- hostile input -----------------------------------------------------------------------------
//
// Every string that enters the API (body fields and keys, query and path parameters, header
// values a route reads) is refused when it carries U+0000, another C0 control character, or a
// lone UTF-16 surrogate: Postgres cannot store NUL (22021) or invalid UTF-8 (22P05), logs and
// cache keys would be corrupted, and no shop datum needs them. Multi-line text (descriptions,
// notes, reasons) may carry tab and newline. The route registrar applies `findUnsafeText` to
// every input before its schema runs (a net under every field, keys included); the field
// schemas below (`singleLine`, `multiLine`) say the same per field, so a schema used outside
// the registrar (an activity, a webhook body) refuses the same strings.

export { unsafeTextReason };

/** At most this many field errors are listed in one problem (a body of 50k bad keys gives 50). */
export const MAX_FIELD_ERRORS = 50;
const MAX_PATH_LENGTH = 200;

function appendPath(prefix: string, seg: string | number): string {
  if (typeof seg === 'number') return `${prefix}[${seg}]`;
  const safe = seg.length > MAX_PATH_LENGTH ? `${seg.slice(0, MAX_PATH_LENGTH)}…` : seg;
  return prefix ? `${prefix}.${safe}` : safe;
}

/** A printable rendering of a user-supplied key for an error path (no control characters echoed). */
export function printablePath(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return path.replace(/[\u0000-\u001F\u007F]|\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Every string (and object key) in `value` that `unsafeTextReason` refuses, as field errors with
 * their paths, at most `MAX_FIELD_ERRORS`. Keys are always single-line; values follow `multiline`.
 */
export function findUnsafeText(
  value: unknown,
  opts: { prefix?: string; multiline?: boolean } = {},
): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const multiline = opts.multiline ?? false;
  const walk = (v: unknown, path: string, depth: number): void => {
    if (out.length >= MAX_FIELD_ERRORS || depth > 64) return;
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v, multiline);
      if (reason) out.push({ path: printablePath(path), message: reason });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length && out.length < MAX_FIELD_ERRORS; i++) walk(v[i], appendPath(path, i), depth + 1);
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (out.length >= MAX_FIELD_ERRORS) return;
        const keyPath = appendPath(path, k);
        const keyReason = unsafeTextReason(k);
        if (keyReason) out.push({ path: printablePath(keyPath), message: `key ${keyReason}` });
        walk(child, keyPath, depth + 1);
      }
    }
  };
  walk(value, opts.prefix ?? '', 0);
  return out;
}

function safeText(multiline: boolean) {
  return z.string().check((ctx) => {
    const reason = unsafeTextReason(ctx.value, multiline);
    if (reason) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value, continue: false });
  });
}

/** The shared input string: one line, no control characters, well-formed Unicode. */
export function singleLine() {
  return safeText(false);
}

/** Multi-line input text (descriptions, notes, reasons): tab and newline allowed, nothing else below U+0020. */
export function multiLine() {
  return safeText(true);
}

/** Integer from a query string: digits only (optional leading minus), no floats, no blanks. */
export function intParam(opts: { min?: number; max?: number } = {}) {
  let n = z.number().int();
  if (opts.min !== undefined) n = n.min(opts.min);
  if (opts.max !== undefined) n = n.max(opts.max);
  return z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform((s) => Number(s))
    .pipe(n)
    .openapi({
      type: 'integer',
      ...(opts.min !== undefined ? { minimum: opts.min } : {}),
      ...(opts.max !== undefined ? { maximum: opts.max } : {}),
    });
}

/**
 * A parameter that may repeat (`?brand=a&brand=b`) or be comma-free single; always an array.
 * `length` documents each value's bounds (an empty `?brand=` is refused and documented so).
 */
export function repeatable<T extends z.ZodType<string>>(item: T, length: { min?: number; max?: number } = {}) {
  return z
    .union([item, z.array(item)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .openapi({
      type: 'array',
      items: {
        type: 'string',
        ...(length.min !== undefined ? { minLength: length.min } : {}),
        ...(length.max !== undefined ? { maxLength: length.max } : {}),
      },
    });
}

export const limitParam = intParam({ min: 1, max: 100 })
  .optional()
  .default(20)
  .openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20 });

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
