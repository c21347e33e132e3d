/**
 * Carrier webhook event-id dedupe (contract v1.1: an event id seen before → 200, ignored).
 *
 * Redis `SET NX EX`, not a Postgres table, on purpose: the signature's 300 s window already stops
 * replays of a captured delivery, so this set only has to outlive the carriers' own redelivery
 * horizon (days); a key lost to a Redis flush or restart only lets a duplicate reach the tracking
 * workflow, which is idempotent by itself (it ignores any status not newer than the recorded one).
 * So no migration and no pruning job, and Redis being down fails open (logged) rather than
 * refusing real events. The event id is hashed into the key, so no input shapes the key space.
 */
import { createHash } from 'node:crypto';
import type { Redis } from './redis';

export const WEBHOOK_EVENT_TTL_SECONDS = 7 * 24 * 3600;

function eventKey(carrier: string, eventId: string): string {
  const h = createHash('sha256').update(`${carrier}\n${eventId}`, 'utf8').digest('base64url');
  return `webhook-event:v1:${h}`;
}

/**
 * Claims the event: `new` the first time, `seen` afterwards, `unknown` when Redis cannot answer
 * (the caller processes the event: the downstream is idempotent).
 */
export async function claimWebhookEvent(
  redis: Redis,
  carrier: string,
  eventId: string,
  ttlSeconds = WEBHOOK_EVENT_TTL_SECONDS,
): Promise<'new' | 'seen' | 'unknown'> {
  try {
    const set = await redis.set(eventKey(carrier, eventId), String(Date.now()), 'EX', ttlSeconds, 'NX');
    return set === 'OK' ? 'new' : 'seen';
  } catch {
    return 'unknown';
  }
}

/** Forgets a claim whose processing failed, so the carrier's redelivery is processed. */
export async function releaseWebhookEvent(redis: Redis, carrier: string, eventId: string): Promise<void> {
  await redis.del(eventKey(carrier, eventId)).catch(() => undefined);
}
