/**
 * Read-through cache over Redis with three guarantees:
 *
 * - Single flight: concurrent misses on one key in this process share one load (so a cold
 *   product under 500 concurrent requests costs Postgres one query). The in-flight entry lives
 *   until the value is stored in Redis, so a request that arrives late finds it one way or the other.
 * - Never stale after an invalidation: every key has a generation counter. A loader reads the
 *   generation before it reads Postgres and stores its value only if the generation is unchanged
 *   (one Lua script), so a slow reader that saw the old row cannot put it back after the
 *   invalidator has evicted it (the classic read/evict race).
 * - Redis down is a bypass, not an error: the value is loaded from the source, the metric
 *   `dependency_fallback_total{dependency="redis"}` rises, and the outage is logged once.
 */
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Redis } from './redis';

/** KEYS[1] value, KEYS[2] generation; ARGV[1] generation seen before loading ('' = none), ARGV[2] value, ARGV[3] ttl s. */
const SET_IF_GENERATION = `
local g = redis.call('GET', KEYS[2])
if (g or '') == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

/**
 * KEYS = value, generation, value, generation, …; ARGV[1] generation ttl s. A generation that is
 * not an integer (written by older code, or by hand) cannot be INCRed: it is replaced by a fresh
 * counter instead of failing the whole batch (one bad key must not stall every other eviction).
 * Replacing it changes its value, which is all a generation must do for in-flight loaders.
 */
const EVICT_AND_BUMP = `
for i = 1, #KEYS, 2 do
  redis.call('DEL', KEYS[i])
  local bumped = redis.pcall('INCR', KEYS[i + 1])
  if type(bumped) == 'table' and bumped.err then
    redis.call('DEL', KEYS[i + 1])
    redis.call('INCR', KEYS[i + 1])
  end
  redis.call('EXPIRE', KEYS[i + 1], ARGV[1])
end
return #KEYS / 2`;

interface CacheCommands {
  cacheSetIfGeneration(valueKey: string, genKey: string, gen: string, value: Buffer, ttl: number): Promise<number>;
  cacheEvictAndBump(...args: (string | number)[]): Promise<number>;
}

/** Generations outlive any value by far, so a bump is never forgotten while a loader is in flight. */
const GENERATION_TTL_SECONDS = 86_400;

export function generationKey(key: string): string {
  return `${key}:gen`;
}

function defineCommands(redis: Redis): Redis & CacheCommands {
  const r = redis as Redis & Partial<CacheCommands>;
  if (!r.cacheSetIfGeneration) redis.defineCommand('cacheSetIfGeneration', { numberOfKeys: 2, lua: SET_IF_GENERATION });
  if (!r.cacheEvictAndBump) redis.defineCommand('cacheEvictAndBump', { lua: EVICT_AND_BUMP });
  return redis as Redis & CacheCommands;
}

/** Evicts keys and bumps their generations (used by the invalidator and after admin writes). */
export async function evictKeys(redis: Redis, keys: readonly string[]): Promise<void> {
  if (!keys.length) return;
  const args: (string | number)[] = [keys.length * 2];
  for (const k of keys) args.push(k, generationKey(k));
  args.push(GENERATION_TTL_SECONDS);
  await defineCommands(redis).cacheEvictAndBump(...args);
}

export interface Loaded {
  value: Buffer;
  ttlSeconds: number;
}

export interface ReadThroughDeps {
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
  /** false = always bypass (CACHE_ENABLED=false). */
  enabled: boolean;
}

/** The value of a group-governed entry when it was loaded under `generation`, else undefined. */
function untag(entry: Buffer, generation: string): Buffer | undefined {
  const nl = entry.indexOf(0x0a);
  if (nl < 0 || entry.toString('latin1', 0, nl) !== generation) return undefined;
  return entry.subarray(nl + 1);
}

export class ReadThroughCache {
  private readonly redis: Redis & CacheCommands;
  private readonly inflight = new Map<string, Promise<Buffer>>();
  private bypassing = false;

  constructor(private readonly deps: ReadThroughDeps) {
    this.redis = defineCommands(deps.redis);
  }

  /**
   * The cached value of `key`, or the loaded one (stored for next time unless invalidated meanwhile).
   * With `group`, the key is governed by the group's generation instead of its own: entries carry
   * the generation they were loaded under and count as hits only while it is current, so one
   * eviction of the group (`evict([group])`) invalidates every key in it at once (list pages).
   */
  async get(key: string, operation: string, load: () => Promise<Loaded>, group?: string): Promise<Buffer> {
    const joined = this.inflight.get(key);
    if (joined) return joined;
    if (!this.usable()) return this.fallback(key, operation, load);

    const genKey = generationKey(group ?? key);
    let cached: (Buffer | null)[];
    try {
      cached = await this.redis.mgetBuffer(key, genKey);
    } catch (err) {
      return this.fallback(key, operation, load, err);
    }
    this.recovered();
    const generation = cached[1]?.toString() ?? '';
    const hit = cached[0] && (group ? untag(cached[0], generation) : cached[0]);
    if (hit) return hit;
    const late = this.inflight.get(key);
    if (late) return late;
    return this.single(key, async () => {
      const loaded = await load();
      const stored = group ? Buffer.concat([Buffer.from(`${generation}\n`), loaded.value]) : loaded.value;
      try {
        await this.redis.cacheSetIfGeneration(key, genKey, generation, stored, loaded.ttlSeconds);
      } catch (err) {
        this.noteBypass(operation, err);
      }
      return loaded.value;
    });
  }

  /** Drops in-flight loads of these keys (their result may predate a write this process just made). */
  forget(keys: readonly string[]): void {
    for (const k of keys) this.inflight.delete(k);
  }

  /** Evicts keys (and bumps their generations); a Redis outage here is logged, not thrown. */
  async evict(keys: readonly string[], operation: string): Promise<void> {
    this.forget(keys);
    if (!this.usable()) {
      // Nothing to evict from while it is down; the outbox invalidator retries until it is back.
      if (this.deps.enabled) this.noteBypass(operation);
      return;
    }
    try {
      await evictKeys(this.redis, keys);
    } catch (err) {
      this.noteBypass(operation, err);
    }
  }

  private usable(): boolean {
    return this.deps.enabled && this.redis.status === 'ready';
  }

  private fallback(key: string, operation: string, load: () => Promise<Loaded>, err?: unknown): Promise<Buffer> {
    if (this.deps.enabled) this.noteBypass(operation, err);
    return this.inflight.get(key) ?? this.single(key, async () => (await load()).value);
  }

  private single(key: string, run: () => Promise<Buffer>): Promise<Buffer> {
    const p = run().finally(() => {
      if (this.inflight.get(key) === p) this.inflight.delete(key);
    });
    this.inflight.set(key, p);
    return p;
  }

  private noteBypass(operation: string, err?: unknown): void {
    this.deps.metrics.dependencyFallback.inc({ dependency: 'redis', operation });
    if (!this.bypassing) {
      this.bypassing = true;
      this.deps.logger.warn({ err, operation }, 'redis unavailable: cache bypassed, reading Postgres until it returns');
    }
  }

  private recovered(): void {
    if (this.bypassing) {
      this.bypassing = false;
      this.deps.logger.info('redis reachable again: cache back in use');
    }
  }
}
