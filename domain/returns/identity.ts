/**
 * Return identity: derived from the order id and the Idempotency-Key, so a retried POST lands on
 * the same return (and workflow). node:crypto: API and activities only.
 */
import { createHash } from 'node:crypto';

export function returnIdFor(orderId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`return\n${orderId.length}:${orderId}\n${idempotencyKey}`, 'utf8').digest('base64url');
  return `ret_${digest.slice(0, 26)}`;
}

export function returnWorkflowId(returnId: string): string {
  return `return-${returnId}`;
}

/** Provider idempotency key of a return's refund (fixed per return: one refund, ever). */
export const returnRefundKey = (returnId: string) => `${returnId}:refund`;
/** Carrier idempotency key of a return's label (fixed per return: one label, ever). */
export const returnLabelKey = (returnId: string) => `${returnId}:label`;
/** Provider idempotency key and row key of a goodwill refund. */
export const goodwillRefundKey = (orderId: string, idempotencyKey: string) =>
  `goodwill:${orderId}:${createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url').slice(0, 22)}`;
