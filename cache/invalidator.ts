/**
 * The cache invalidator: drains the outbox (its own `cache_processed_at` column) and evicts the
 * product detail entries (by id and by sku), the product list pages (one group generation) and
 * the store configuration the changes touch.
 *
 * It runs as an in-process loop in the worker that polls the `sync` task queue (not as a
 * Temporal activity): eviction is stateless and idempotent, its progress already lives in
 * Postgres (a crash re-evicts at most one batch), and it needs a LISTEN connection held for the
 * life of the process — a heartbeating activity would add a start-up workflow and history events
 * without adding any guarantee the outbox does not already give. Several workers may run it at
 * once: batches are claimed with FOR UPDATE SKIP LOCKED.
 *
 * Latency: a trigger NOTIFYs `outbox` on every insert; the loop wakes on it and drains within
 * milliseconds. CACHE_INVALIDATOR_POLL_MS is the fallback when a notification is lost (LISTEN
 * connection dropping, failover). While Redis is down the batch is rolled back and retried: the
 * rows stay pending, so nothing is lost and entries are evicted once Redis is back.
 */
import type { Db } from '../db/connection';
import { listenToOutbox } from '../db/outbox-listener';
import { claimCachePending, markCacheProcessed, type PendingOutboxRow, productIdsBySku } from '../db/queries/cache-outbox';
import type { Logger } from '../observability/logger';
import { productKeys, STORE_CONFIG_KEY } from './keys';
import { evictKeys } from './read-through';
import type { Redis } from './redis';

export interface InvalidatorOptions {
  db: Db;
  /** For the dedicated LISTEN connection. */
  databaseUrl: string;
  redis: Redis;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
}

export interface CacheInvalidator {
  /** Drains one batch now; the number of outbox rows processed. */
  drainOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Cache keys a batch of outbox rows invalidates. */
export async function keysForRows(db: Db, rows: readonly PendingOutboxRow[]): Promise<string[]> {
  const keys = new Set<string>();
  const stockSkus: string[] = [];
  for (const row of rows) {
    if (row.topic === 'product') {
      const sku = typeof row.payload.sku === 'string' ? row.payload.sku : '';
      for (const k of productKeys({ id: row.aggregate_id, sku })) keys.add(k);
      keys.add(STORE_CONFIG_KEY);
    } else {
      stockSkus.push(row.aggregate_id);
    }
  }
  const ids = await productIdsBySku(db, [...new Set(stockSkus)]);
  for (const sku of stockSkus) for (const k of productKeys({ id: ids.get(sku), sku })) keys.add(k);
  return [...keys];
}

/**
 * One batch: claims pending rows (SKIP LOCKED), evicts their keys, marks them processed — all
 * inside one transaction, so a Redis failure rolls the claim back and the rows stay pending.
 */
export async function drainCacheOutbox(db: Db, redis: Redis, batchSize: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await claimCachePending(trx, batchSize);
    if (!rows.length) return 0;
    await evictKeys(redis, await keysForRows(trx, rows));
    await markCacheProcessed(
      trx,
      rows.map((r) => r.id),
    );
    return rows.length;
  });
}

export function startCacheInvalidator(opts: InvalidatorOptions): CacheInvalidator {
  const batchSize = opts.batchSize ?? 500;
  const log = opts.logger.child({ component: 'cache-invalidator' });
  let running = true;
  let wake: (() => void) | undefined;
  let failing = false;
  let nudged = false;

  const nudge = () => {
    nudged = true;
    wake?.();
  };

  const drainOnce = () => drainCacheOutbox(opts.db, opts.redis, batchSize);

  async function loop(): Promise<void> {
    while (running) {
      let processed = 0;
      try {
        processed = await drainOnce();
        if (failing) log.info('cache invalidation resumed');
        failing = false;
        if (processed) log.debug({ processed }, 'cache entries invalidated');
      } catch (err) {
        if (!failing) log.warn({ err }, 'cache invalidation failed (Redis or Postgres down?); retrying, rows stay pending');
        failing = true;
      }
      if (!running) break;
      if (processed === batchSize || (nudged && !failing)) {
        nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, failing ? Math.max(opts.pollMs, 1_000) : opts.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      nudged = false;
    }
  }

  const listener = listenToOutbox({
    databaseUrl: opts.databaseUrl,
    applicationName: 'cathay-cache-invalidator',
    onNotify: nudge,
    onListening: nudge, // catch up on what was inserted while not listening
    onError: (err, phase) =>
      log.warn(
        { err },
        phase === 'lost' ? 'LISTEN connection lost; polling until it is back' : 'cannot LISTEN for outbox notifications; polling',
      ),
  });
  const looping = loop();
  log.info({ pollMs: opts.pollMs }, 'cache invalidator started');

  return {
    drainOnce,
    async stop() {
      running = false;
      nudge();
      await Promise.allSettled([listener.close(), looping]);
    },
  };
}
