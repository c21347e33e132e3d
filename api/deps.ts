import type { Client, Connection } from '@temporalio/client';
import { closeRedis, createRedis, type Redis } from '../cache/redis';
import type { Config } from '../config';
import { createDb, type Db } from '../db/connection';
import { type CarrierRegistry, createCarriers } from '../integrations/carriers';
import type { Logger } from '../observability/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { createMeili, type Meilisearch } from '../search/client';
import { apiSearchKey } from '../search/keys';
import { createTemporalClient, temporalDataConverter } from '../temporal/client';
import { OrderEventHub } from './orders/event-hub';
import { createWorkCaps, type WorkCaps } from './work-caps';

/** Everything the API talks to, built once per process and passed to route modules. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  meili: Meilisearch;
  temporal: Client;
  temporalConnection: Connection;
  metrics: Metrics;
  /** Enabled carriers (rates go through workflows; the API uses them to verify webhooks). */
  carriers: CarrierRegistry;
  /** Redis pub/sub fan-out for the order event streams (SSE). */
  orderEvents: OrderEventHub;
  /** Per-process caps on rate-quote workflows and order placements running at once. */
  caps: WorkCaps;
}

export function createAppDeps(config: Config, logger: Logger): AppDeps {
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash. The
  // cache layer logs bypasses itself, so here we only keep the process alive and log once per state.
  let redisDown = false;
  redis.on('error', (err) => {
    if (!redisDown) logger.warn({ err }, 'redis unavailable; cache bypassed until it returns');
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) logger.info('redis is back');
    redisDown = false;
  });
  const temporal = createTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
  });
  return {
    config,
    logger,
    db: createDb({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, applicationName: 'cathay-api' }),
    redis,
    // Search-only key: the API never holds Meilisearch write access in its clients (search/keys.ts).
    meili: createMeili({ url: config.MEILI_URL, apiKey: apiSearchKey(config), timeoutMs: config.MEILI_TIMEOUT_MS }),
    temporal: temporal.client,
    temporalConnection: temporal.connection,
    metrics: createMetrics(),
    carriers: createCarriers(config),
    orderEvents: new OrderEventHub(config.REDIS_URL, config.REDIS_KEY_PREFIX),
    caps: createWorkCaps(config),
  };
}

export async function closeAppDeps(deps: AppDeps): Promise<void> {
  deps.orderEvents.close();
  await Promise.allSettled([deps.db.destroy(), closeRedis(deps.redis), deps.temporalConnection.close()]);
}
