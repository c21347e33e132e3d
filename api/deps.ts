import { type Clients, closeClients, createClients } from '../clients';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { OrderEventHub } from './orders/event-hub';

/** Everything the API talks to, built once per process and passed to route modules. */
export interface AppDeps extends Clients {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Redis pub/sub fan-out for the order event streams (SSE). */
  orderEvents: OrderEventHub;
}

export function createAppDeps(config: Config, logger: Logger): AppDeps {
  return {
    config,
    logger,
    ...createClients(config, logger, { applicationName: 'cathay-api', meiliTimeoutMs: config.MEILI_TIMEOUT_MS }),
    metrics: createMetrics(),
    orderEvents: new OrderEventHub(config.REDIS_URL, config.REDIS_KEY_PREFIX),
  };
}

export async function closeAppDeps(deps: AppDeps): Promise<void> {
  deps.orderEvents.close();
  await closeClients(deps);
}
