import { sql } from 'kysely';
import { type CheckResult, checkAll } from '../observability/readiness';
import type { ActivityDeps } from './deps';

export interface SystemCheckResult {
  workerPid: number;
  checks: Partial<Record<'postgres' | 'redis' | 'meilisearch', CheckResult>>;
}

/** What a worker can reach, as seen from the worker (the stack runs it once at start-up). */
export function createSystemActivities(deps: ActivityDeps) {
  return {
    async checkDependencies(): Promise<SystemCheckResult> {
      const { checks } = await checkAll({
        postgres: () => sql`SELECT 1`.execute(deps.db),
        redis: () => deps.redis.ping(),
        meilisearch: () => deps.meili.health(),
      });
      return { workerPid: process.pid, checks };
    },
  };
}
