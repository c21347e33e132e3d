/**
 * Rate-limit buckets in Redis (rate-limiter-flexible's RateLimiterRedis: one atomic Lua INCR +
 * PEXPIRE per request), so every API replica shares them. One limiter per route group and kind
 * of client: `ip` (no valid API key) and `key` (per API key). Keys live under the client's own
 * REDIS_KEY_PREFIX: `{prefix}{RATE_LIMIT_KEY_PREFIX}:{group}:{kind}:{client}`.
 *
 * A client over its limit is also blocked in process memory until its window ends
 * (`inMemoryBlockOnConsumed`), so a flood costs no Redis round trip per refused request.
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { RATE_LIMIT_GROUPS, type RateLimitGroup } from '../config/limits';
import type { Redis } from './redis';

export type ClientKind = 'ip' | 'key';

export type BucketDecision =
  | { outcome: 'allowed' | 'limited'; limit: number; remaining: number; resetMs: number }
  /** Redis did not answer: the caller lets the request through (fail open). */
  | { outcome: 'unavailable'; cause: unknown };

export interface RateLimitBuckets {
  consume(group: RateLimitGroup, kind: ClientKind, client: string): Promise<BucketDecision>;
}

const CONFIG_KEYS: Record<RateLimitGroup, Record<ClientKind, keyof Config>> = {
  public: { ip: 'RATE_LIMIT_PUBLIC_IP', key: 'RATE_LIMIT_PUBLIC_KEY' },
  search: { ip: 'RATE_LIMIT_SEARCH_IP', key: 'RATE_LIMIT_SEARCH_KEY' },
  shipping: { ip: 'RATE_LIMIT_SHIPPING_IP', key: 'RATE_LIMIT_SHIPPING_KEY' },
  orders: { ip: 'RATE_LIMIT_ORDERS_IP', key: 'RATE_LIMIT_ORDERS_KEY' },
  ops: { ip: 'RATE_LIMIT_OPS_IP', key: 'RATE_LIMIT_OPS_KEY' },
};

/** Requests allowed per window for a group and kind of client. */
export function bucketLimit(config: Config, group: RateLimitGroup, kind: ClientKind): number {
  return Number(config[CONFIG_KEYS[group][kind]]);
}

export function createRateLimitBuckets(redis: Redis, config: Config): RateLimitBuckets {
  const limiters = new Map<string, RateLimiterRedis>();
  for (const group of RATE_LIMIT_GROUPS) {
    for (const kind of ['ip', 'key'] as const) {
      const points = bucketLimit(config, group, kind);
      limiters.set(
        `${group}:${kind}`,
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}:${group}:${kind}`,
          points,
          duration: config.RATE_LIMIT_WINDOW_SECONDS,
          inMemoryBlockOnConsumed: points + 1,
          // Redis down: fail at once (the client has no offline queue either) instead of waiting.
          rejectIfRedisNotReady: true,
        }),
      );
    }
  }
  return {
    async consume(group, kind, client) {
      const limiter = limiters.get(`${group}:${kind}`) as RateLimiterRedis;
      try {
        const res = await limiter.consume(client);
        return { outcome: 'allowed', limit: limiter.points, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
      } catch (err) {
        // The library rejects with its result object when over the limit, with an Error when the store failed.
        if (err instanceof RateLimiterRes) {
          return { outcome: 'limited', limit: limiter.points, remaining: 0, resetMs: err.msBeforeNext };
        }
        return { outcome: 'unavailable', cause: err };
      }
    },
  };
}
