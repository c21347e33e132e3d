/**
 * Opaque keyset cursors: base64url of a small JSON position. Opaque to clients (they only pass
 * `nextCursor` back), checked on the way in so a tampered cursor is a 400, not a SQL error.
 */
import { z } from 'zod';

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z$/;

/**
 * A cursor's time: ISO 8601 in UTC (`2026-12-01T20:03:04.123456Z`, up to microseconds), a real
 * calendar date between 1970 and 9999 — what Postgres reads as a timestamptz without an error.
 */
export const CursorTimestampSchema = z.string().refine((s) => {
  const m = ISO_UTC.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y < 1970 || h > 23 || mi > 59 || sec > 59) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}, 'must be an ISO 8601 UTC time');

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position, or undefined when the cursor is not one of ours. */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
