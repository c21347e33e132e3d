/**
 * Order identity: the order id is derived from the customer id and the Idempotency-Key, so a
 * retried POST lands on the same order (and workflow), and one customer's key can never reach
 * another customer's order (the customer id is inside the hash). The request hash is a canonical
 * digest of the body, to tell "the same request again" from "the same key, another request".
 *
 * Uses node:crypto, so it is for the API and activities only (workflows receive the ids).
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

export function orderIdFor(customerId: string, idempotencyKey: string): string {
  // Length-prefixed so ("ab","c") and ("a","bc") cannot collide.
  const digest = createHash('sha256').update(`order\n${customerId.length}:${customerId}\n${idempotencyKey}`, 'utf8').digest('base64url');
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
