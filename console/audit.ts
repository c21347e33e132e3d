/**
 * What people did through the console, per order and per sku: who (role and key name), what,
 * when, and the API's answer. The order page merges it into the timeline, because not every
 * command writes its author into the order's own events (a retry's timeline entry says only
 * "resumed … by support"). Capped lists in Redis, kept 90 days.
 */
import type { Redis } from 'ioredis';

export interface AuditEntry {
  at: string;
  action: string;
  /** e.g. "support (alice)". */
  by: string;
  /** The API's answer: "202 Accepted" or the problem's code and detail. */
  outcome: string;
  ok: boolean;
  detail?: string;
}

const MAX_ENTRIES = 200;
const TTL_SECONDS = 90 * 24 * 60 * 60;

export class AuditLog {
  constructor(private readonly redis: Redis) {}

  private key(kind: 'order' | 'sku', id: string): string {
    return `console:audit:${kind}:${id}`;
  }

  async record(kind: 'order' | 'sku', id: string, entry: AuditEntry): Promise<void> {
    const key = this.key(kind, id);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(entry))
      .ltrim(key, 0, MAX_ENTRIES - 1)
      .expire(key, TTL_SECONDS)
      .exec();
  }

  /** Newest first. */
  async list(kind: 'order' | 'sku', id: string): Promise<AuditEntry[]> {
    const rows = await this.redis.lrange(this.key(kind, id), 0, MAX_ENTRIES - 1);
    return rows.map((r) => JSON.parse(r) as AuditEntry);
  }
}
