import type { z } from 'zod';
import { AppError, type ErrorCode, type FieldError } from '../domain/errors';

/** `['items', 0, 'sku']` → `items[0].sku`, with a prefix for where it came from (query, header). */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key], prefix), message: 'unknown field' });
    } else {
      out.push({ path: formatPath(issue.path, prefix), message: issue.message });
    }
  }
  return out;
}

/** Parses `input` with `schema` or throws a 400 listing every offending path. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params' | 'headers',
  code: ErrorCode = 'invalid_request',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = zodIssuesToFieldErrors(result.error.issues);
  const names = [...new Set(errors.map((e) => e.path || where))].join(', ');
  throw new AppError(code, `Invalid ${where}: ${names}`, { errors });
}
