import { type Clients, closeClients, createClients } from '../clients';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { OrderEventHub } from './orders/event-hub';
import { createWorkCaps, type WorkCaps } from './work-caps';

/** Everything the API talks to, built once per process and passed to route modules. */
export interface AppDeps extends Clients {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Redis pub/sub fan-out for the order event streams (SSE). */
  orderEvents: OrderEventHub;
  /** Per-process caps on rate-quote workflows and order placements running at once. */
  caps: WorkCaps;
}

export function createAppDeps(config: Config, logger: Logger): AppDeps {
  return {
    config,
    logger,
    // Search-only Meilisearch key: the API never holds write access in its clients (search/keys.ts).
    // Temporal through the SDK's Rust core: grpc-js's calls cost the API's GC (temporal/native-connection.ts).
    ...createClients(config, logger, {
      applicationName: 'cathay-api',
      meiliTimeoutMs: config.MEILI_TIMEOUT_MS,
      meiliKey: 'search',
      temporalTransport: config.API_TEMPORAL_TRANSPORT,
    }),
    metrics: createMetrics(),
    orderEvents: new OrderEventHub(config.REDIS_URL, config.REDIS_KEY_PREFIX),
    caps: createWorkCaps(config),
  };
}

export async function closeAppDeps(deps: AppDeps): Promise<void> {
  deps.orderEvents.close();
  await closeClients(deps);
}
