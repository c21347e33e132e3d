/**
 * One Redis subscriber connection per API process, shared by every open order event stream:
 * a channel is subscribed while at least one stream listens to it. Connects lazily (an API that
 * never serves SSE never opens it); ioredis re-subscribes by itself after a reconnect.
 */
import { orderEventsChannel } from '../../cache/order-events';
import { createRedis, type Redis } from '../../cache/redis';
import type { OrderEventMessage } from '../../domain/orders/types';

type Listener = (event: OrderEventMessage) => void;

export class OrderEventHub {
  private sub: Redis | undefined;
  private readonly channels = new Map<string, { listeners: Set<Listener>; ready: Promise<unknown> }>();

  constructor(
    private readonly redisUrl: string,
    private readonly keyPrefix: string,
  ) {}

  private subscriber(): Redis {
    if (!this.sub) {
      // No keyPrefix: it does not apply to channels; the channel name carries the prefix itself.
      const sub = createRedis(this.redisUrl, { enableOfflineQueue: true, commandTimeout: 2_000 });
      sub.on('error', () => {
        // reconnects by itself; streams poll Postgres meanwhile
      });
      sub.on('message', (channel: string, raw: string) => {
        const entry = this.channels.get(channel);
        if (!entry) return;
        let event: OrderEventMessage;
        try {
          event = JSON.parse(raw) as OrderEventMessage;
        } catch {
          return;
        }
        for (const l of entry.listeners) l(event);
      });
      this.sub = sub;
    }
    return this.sub;
  }

  /** Listens to one order's events; resolves once subscribed (rejects if Redis is unreachable). */
  async subscribe(orderId: string, listener: Listener): Promise<() => void> {
    const channel = orderEventsChannel(this.keyPrefix, orderId);
    let entry = this.channels.get(channel);
    if (!entry) {
      const sub = this.subscriber();
      entry = { listeners: new Set(), ready: sub.subscribe(channel) };
      this.channels.set(channel, entry);
      entry.ready.catch(() => {
        if (this.channels.get(channel)?.listeners.size === 0) this.channels.delete(channel);
      });
    }
    entry.listeners.add(listener);
    const current = entry;
    const unsubscribe = () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.channels.get(channel) === current) {
        this.channels.delete(channel);
        this.sub?.unsubscribe(channel).catch(() => undefined);
      }
    };
    try {
      await current.ready;
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  listenerCount(): number {
    let n = 0;
    for (const e of this.channels.values()) n += e.listeners.size;
    return n;
  }

  close(): void {
    this.sub?.disconnect();
    this.sub = undefined;
    this.channels.clear();
  }
}
