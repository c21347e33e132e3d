import type { z } from 'zod';
import { AppError, type ErrorCode, type FieldError } from '../domain/errors';
import { findUnsafeText, MAX_FIELD_ERRORS, printablePath } from '../domain/schemas/common';

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
    if (out.length >= MAX_FIELD_ERRORS) break;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys.slice(0, MAX_FIELD_ERRORS - out.length)) {
        out.push({ path: printablePath(formatPath([...issue.path, key.slice(0, 200)], prefix)), message: 'unknown field' });
      }
    } else {
      out.push({ path: printablePath(formatPath(issue.path, prefix)), message: issue.message });
    }
  }
  return out;
}

/** At most this many paths are named in a problem's `detail` (all of them, up to 50, are in `errors`). */
const MAX_NAMED_PATHS = 10;

/** The problem detail `Invalid <where>: a, b, c` naming at most 10 paths. */
function invalidDetail(where: string, errors: readonly FieldError[]): string {
  const names = [...new Set(errors.map((e) => e.path || where))];
  const shown = names.slice(0, MAX_NAMED_PATHS).join(', ');
  return `Invalid ${where}: ${shown}${names.length > MAX_NAMED_PATHS ? ` and ${names.length - MAX_NAMED_PATHS} more` : ''}`;
}

/**
 * Query-string parameters whose percent-encoding is not valid UTF-8 (`?brand=%E0%A4%A`). Node's
 * query parser would silently turn them into U+FFFD; the contract makes them a 400.
 */
export function badlyEncodedQuery(url: string): FieldError[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const errors: FieldError[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    if (!pair.includes('%')) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      if (eq >= 0) decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      errors.push({ path: printablePath(key.slice(0, 200)), message: 'invalid percent-encoding' });
      if (errors.length >= MAX_FIELD_ERRORS) break;
    }
  }
  return errors;
}

/**
 * The hostile-input net under every route schema: control characters and lone surrogates in
 * path and query parameters, the header values a route reads and anywhere in a JSON body
 * (values and keys; tab and newline pass here, single-line fields refuse them in their schema).
 */
export function refuseUnsafeText(inputs: { params?: unknown; query?: unknown; headers?: unknown; body?: unknown }): void {
  const errors = [
    ...findUnsafeText(inputs.params),
    ...findUnsafeText(inputs.query),
    ...findUnsafeText(inputs.headers),
    ...findUnsafeText(inputs.body, { multiline: true }),
  ].slice(0, MAX_FIELD_ERRORS);
  if (errors.length) throw new AppError('invalid_request', invalidDetail('input', errors), { errors });
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
  const errors = zodIssuesToFieldErrors(result.error.issues).slice(0, MAX_FIELD_ERRORS);
  throw new AppError(code, invalidDetail(where, errors), { errors });
}
