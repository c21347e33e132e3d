/**
 * Opaque keyset cursors: base64url of a small JSON position. Opaque to clients (they only pass
 * `nextCursor` back), checked on the way in so a tampered cursor is a 400, not a SQL error.
 */
import type { z } from 'zod';

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
