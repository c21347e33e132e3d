/**
 * The connections every process holds, built from the configuration in one place: Postgres,
 * Redis, Meilisearch, Temporal and the enabled carriers. The API (`api/deps.ts`) and the worker
 * (`activities/deps.ts`) add what only they need on top.
 */
import type { Client } from '@temporalio/client';
import { closeRedis, createRedis, type Redis } from '../cache/redis';
import type { Config } from '../config';
import { createDb, type Db } from '../db/connection';
import { type CarrierRegistry, createCarriers } from '../integrations/carriers';
import type { Logger } from '../observability/logger';
import { createMeili, type Meilisearch } from '../search/client';
import { apiSearchKey } from '../search/keys';
import { createTemporalClient, type TemporalConnection, type TemporalTransport, temporalDataConverter } from '../temporal/client';

export interface Clients {
  db: Db;
  redis: Redis;
  meili: Meilisearch;
  /** Lazy connection: opened on first use, so a process starts while Temporal is still coming up. */
  temporal: Client;
  temporalConnection: TemporalConnection;
  /** The enabled carriers (rates and bookings in the worker; webhook signatures in the API). */
  carriers: CarrierRegistry;
}

/**
 * `applicationName` names the Postgres connections; `meiliTimeoutMs` is the per-request budget
 * (the API's searches: MEILI_TIMEOUT_MS; the worker's indexing: MEILI_INDEXING_TIMEOUT_MS);
 * `meiliKey` which Meilisearch key the client holds: the API's search-only key or the worker's
 * master key (search/keys.ts); `temporalTransport` how the Temporal client connects (temporal/client.ts).
 */
export function createClients(
  config: Config,
  logger: Logger,
  opts: { applicationName: string; meiliTimeoutMs: number; meiliKey: 'search' | 'master'; temporalTransport?: TemporalTransport },
): Clients {
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash. It
  // reconnects on its own (cached reads bypass Redis, activities that need it are retried by
  // Temporal meanwhile), so only the change of state is logged.
  let redisDown = false;
  redis.on('error', (err) => {
    if (!redisDown) logger.warn({ err }, 'redis unavailable; cache bypassed until it returns');
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) logger.info('redis is back');
    redisDown = false;
  });
  // Payloads encrypted like the workers' (temporal/payload-codec.ts).
  const temporal = createTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
    transport: opts.temporalTransport ?? 'grpc-js',
  });
  return {
    db: createDb({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, applicationName: opts.applicationName }),
    redis,
    meili: createMeili({
      url: config.MEILI_URL,
      apiKey: opts.meiliKey === 'search' ? apiSearchKey(config) : config.MEILI_MASTER_KEY,
      timeoutMs: opts.meiliTimeoutMs,
    }),
    temporal: temporal.client,
    temporalConnection: temporal.connection,
    carriers: createCarriers(config),
  };
}

export async function closeClients(clients: Clients): Promise<void> {
  await Promise.allSettled([clients.db.destroy(), closeRedis(clients.redis), clients.temporalConnection.close()]);
}
