/**
 * Order identity: the order id is derived from the customer id and the Idempotency-Key, so a
 * retried POST lands on the same order (and workflow), and one customer's key can never reach
 * another customer's order (the customer id is inside the MAC). Since contract v1.1 the
 * derivation is an HMAC keyed with ORDER_ID_SECRET: knowing a customer id and a key (both chosen
 * by clients) no longer lets anyone compute an order id. The request hash is a canonical digest
 * of the body, to tell "the same request again" from "the same key, another request".
 *
 * Uses node:crypto, so it is for the API and activities only (workflows receive the ids).
 */
import { createHash, createHmac } from 'node:crypto';
import stringify from 'safe-stable-stringify';

// Length-prefixed so ("ab","c") and ("a","bc") cannot collide.
const idInput = (customerId: string, idempotencyKey: string) => `order\n${customerId.length}:${customerId}\n${idempotencyKey}`;

/** The id of the order a customer places under an Idempotency-Key: `ord_` + 26 chars of HMAC-SHA256. */
export function orderIdFor(customerId: string, idempotencyKey: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(idInput(customerId, idempotencyKey), 'utf8').digest('base64url');
  return `ord_${digest.slice(0, 26)}`;
}

/**
 * The unkeyed v1.0 derivation (plain SHA-256), for orders placed before ids were keyed: a retry of
 * such an order (same customer and key) must land on it, not open a second one. Lookups by id
 * need nothing: ids are stored, never recomputed.
 */
export function legacyOrderIdFor(customerId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(idInput(customerId, idempotencyKey), 'utf8').digest('base64url');
  return `ord_${digest.slice(0, 26)}`;
}

export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** sha256 of the body with keys sorted (key order and whitespace do not make a different request). */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(stringify(body) ?? '', 'utf8')
    .digest('hex');
}
