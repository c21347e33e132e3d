import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * A Redis client that fails fast instead of queueing while Redis is down, so callers can fall
 * back (cache bypass) within milliseconds rather than hang: no offline queue, one retry per
 * command, short connect timeout, and a capped reconnect backoff.
 */
export function createRedis(url: string, opts: { keyPrefix?: string; lazyConnect?: boolean } & RedisOptions = {}): Redis {
  return new Redis(url, {
    keyPrefix: opts.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    lazyConnect: opts.lazyConnect ?? false,
    // disconnect() half-closes the socket and destroys it if no 'close' comes within this time.
    // A socket that is already closed (Redis down) never emits 'close' again, so ioredis's default
    // 2 s timer held every shutdown with Redis down for 2 s — and a jest worker past its 500 ms
    // exit grace ("A worker process has failed to exit gracefully"). A live Redis answers a QUIT
    // and closes in well under this.
    disconnectTimeout: 200,
    // No enableAutoPipelining: tried for the order path (issue 16) and reverted — with it, the
    // cache's Lua commands (defineCommand: cacheEvictAndBump) fail with "pipeline[functionName] is
    // not a function" and ioredis then throws out of its callback, which killed a worker in the
    // chaos smoke.
    ...opts,
  });
}

/** Resolves once the client is connected (or at once if it is); rejects after `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs = 3_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/**
 * Closes a client without hanging: QUIT when connected (flushes pending replies), otherwise a
 * plain disconnect — QUIT on a client that never connected would wait for a connection forever.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await Promise.race([redis.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
  redis.disconnect();
}
