/** HMAC-SHA256 webhook signatures: hex digest of the raw body, compared in constant time. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Constant-time check of a hex signature (any length or charset mismatch is simply false). */
export function verifySignature(rawBody: Buffer, secret: string, presented: string | undefined): boolean {
  if (!presented || !/^[0-9a-fA-F]+$/.test(presented)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(presented, 'hex');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
