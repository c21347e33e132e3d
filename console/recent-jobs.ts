/**
 * Background jobs started from the console (bulk stock syncs, reindexes), newest first and shared
 * by the team: the API has no list of jobs, only each job's status by id.
 */
import type { Redis } from 'ioredis';

export class RecentJobs {
  constructor(private readonly redis: Redis) {}

  async add(kind: 'sync' | 'reindex', jobId: string): Promise<void> {
    const key = `console:jobs:${kind}`;
    await this.redis
      .multi()
      .lrem(key, 0, jobId)
      .lpush(key, jobId)
      .ltrim(key, 0, 9)
      .expire(key, 30 * 24 * 60 * 60)
      .exec();
  }

  list(kind: 'sync' | 'reindex'): Promise<string[]> {
    return this.redis.lrange(`console:jobs:${kind}`, 0, 9);
  }
}
