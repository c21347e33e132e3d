/**
 * Loops a worker process runs beside its Temporal workers: the cache invalidator, in the process
 * that polls the `sync` queue (see cache/invalidator.ts for why it is not an activity), and the
 * order email sweeper in the processes polling `orders` (activities/orders/email-outbox.ts: it
 * sends what a first attempt right after the status change did not).
 */
import type { ActivityDeps } from '../activities/deps';
import { createOrderEmailOutbox, startOrderEmailSweeper } from '../activities/orders/email-outbox';
import { startCacheInvalidator } from '../cache/invalidator';
import type { QueueName } from './create-workers';

export interface BackgroundLoops {
  stop(): Promise<void>;
}

export function startBackgroundLoops(deps: ActivityDeps, queues: readonly QueueName[]): BackgroundLoops {
  const stops: Array<() => Promise<void>> = [];
  if (queues.includes('sync')) {
    const invalidator = startCacheInvalidator({
      db: deps.db,
      databaseUrl: deps.config.DATABASE_URL,
      redis: deps.redis,
      logger: deps.logger,
      pollMs: deps.config.CACHE_INVALIDATOR_POLL_MS,
    });
    stops.push(() => invalidator.stop());
  }
  if (queues.includes('orders')) {
    const sweeper = startOrderEmailSweeper(createOrderEmailOutbox(deps), deps.logger);
    stops.push(() => sweeper.stop());
  }
  return {
    async stop() {
      await Promise.allSettled(stops.map((s) => s()));
    },
  };
}
