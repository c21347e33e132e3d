import { rmSync } from 'node:fs';
import { createRedis } from '../cache/redis';
import { dropDatabase } from '../db/ensure-database';
import { loadRunState } from './support/run-state';

export default async function globalTeardown(): Promise<void> {
  const state = loadRunState();
  if (!state) return;
  const keep = process.env.KEEP_TEST_STATE === '1';
  await Promise.allSettled([state.temporal.teardown(), state.meili.stop(5_000)]);
  if (keep) {
    process.stdout.write(`[test] kept ${state.databaseUrl} and ${state.dir}\n`);
    return;
  }
  await dropDatabase(state.databaseUrl).catch((err) => process.stderr.write(`[test] could not drop test db: ${err}\n`));
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${state.redisPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis down at the end of a run (a test stopped it): nothing to clean.
  } finally {
    redis.disconnect();
  }
  rmSync(state.dir, { recursive: true, force: true });
}
