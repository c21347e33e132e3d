/**
 * Carrier webhook signatures, contract v1.1: `X-Carrier-Signature: t=<unix seconds>,v1=<64 hex>`,
 * v1 = HMAC-SHA256 of `"{t}.{raw body}"` with that carrier's secret. The timestamp is inside the
 * MAC, so a captured delivery cannot be replayed once it is SIGNATURE_TOLERANCE_SECONDS old; the
 * header is parsed strictly (exactly 64 hex characters: `Buffer.from(hex)` silently drops an odd
 * trailing character, which once let `<sig>0` through) and compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `payload` (the building block of the v1 signature). */
export function signBody(payload: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function signedPayload(t: number, rawBody: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${t}.`, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]);
}

/** The `X-Carrier-Signature` value for `rawBody` at `t` (unix seconds; default now). */
export function signWebhook(rawBody: Buffer | string, secret: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${signBody(signedPayload(t, rawBody), secret)}`;
}

const HEADER = /^t=(\d{1,12}),v1=([0-9a-fA-F]{64})$/;

/**
 * True when `header` is exactly `t=<digits>,v1=<64 hex>`, t is within the tolerance of `nowMs`,
 * and v1 matches. Anything else — a missing part, another order, an extra character — is false.
 */
export function verifyWebhookSignature(
  rawBody: Buffer,
  secret: string,
  header: string | undefined,
  nowMs = Date.now(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const m = header ? HEADER.exec(header.trim()) : null;
  if (!m?.[1] || !m[2]) return false;
  const t = Number(m[1]);
  if (Math.abs(nowMs / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(signedPayload(t, rawBody)).digest();
  return timingSafeEqual(Buffer.from(m[2], 'hex'), expected);
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
