/**
 * Live order events over Redis pub/sub. The channel is `${REDIS_KEY_PREFIX}order-events:{orderId}`:
 * ioredis' keyPrefix does not apply to channel names, so the prefix is added here, which keeps
 * test runs (each with its own prefix) isolated on a shared Redis.
 */
import type { OrderEventMessage } from '../domain/orders/types';
import type { Redis } from './redis';

export function orderEventsChannel(keyPrefix: string, orderId: string): string {
  return `${keyPrefix}order-events:${orderId}`;
}

/** Publishes one event; best effort (a subscriber that missed it catches up from Postgres). */
export async function publishOrderEvent(redis: Redis, keyPrefix: string, event: OrderEventMessage): Promise<boolean> {
  try {
    await redis.publish(orderEventsChannel(keyPrefix, event.orderId), JSON.stringify(event));
    return true;
  } catch {
    return false;
  }
}
