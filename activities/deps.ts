import type { Client, Connection } from '@temporalio/client';
import { closeRedis, createRedis, type Redis } from '../cache/redis';
import type { Config } from '../config';
import { createDb, type Db } from '../db/connection';
import { type CarrierRegistry, createCarriers } from '../integrations/carriers';
import { createMailer } from '../integrations/mail/client';
import type { Mailer } from '../integrations/mail/types';
import { createPaymentsClient } from '../integrations/payments/client';
import type { PaymentsClient } from '../integrations/payments/types';
import type { Logger } from '../observability/logger';
import { createMeili, type Meilisearch } from '../search/client';
import { createTemporalClient, temporalDataConverter } from '../temporal/client';
import { carrierShippingRates } from './orders/carrier-shipping-rates';
import type { ShippingRates } from './orders/shipping-rates';

/**
 * The clients activities use, injected into `createActivities` (tests pass their own, pointed at
 * the test database, index prefix and sandboxes — no module mocking).
 */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  meili: Meilisearch;
  /** For activities that ask Temporal about other workflows (lazy connection: opened on first use). */
  temporal: Client;
  temporalConnection: Connection;
  carriers: CarrierRegistry;
  /** The payment provider (the sandbox in dev and tests). */
  payments: PaymentsClient;
  /** SMTP (the mail sink in dev and tests). */
  mailer: Mailer;
  /** Shipping prices for orders (quotes and live carrier rates; tests of other things may inject flat rates). */
  shippingRates: ShippingRates;
}

export function createActivityDeps(config: Config, logger: Logger): ActivityDeps {
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  redis.on('error', () => {
    // Reconnects on its own; activities that need Redis fail and are retried by Temporal.
  });
  const temporal = createTemporalClient({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
  });
  const db = createDb({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, applicationName: 'cathay-worker' });
  const carriers = createCarriers(config);
  return {
    config,
    logger,
    db,
    redis,
    meili: createMeili({ url: config.MEILI_URL, apiKey: config.MEILI_MASTER_KEY, timeoutMs: 5_000 }),
    temporal: temporal.client,
    temporalConnection: temporal.connection,
    carriers,
    // Orders are priced by the real carrier integration: stored quotes, or a live rate.
    shippingRates: carrierShippingRates({ db, redis, carriers }),
    payments: createPaymentsClient({ baseUrl: config.PAYMENT_URL, timeoutMs: config.PAYMENT_TIMEOUT_MS }),
    mailer: createMailer({ host: config.SMTP_HOST, port: config.SMTP_PORT, from: config.MAIL_FROM }),
  };
}

export async function closeActivityDeps(deps: ActivityDeps): Promise<void> {
  deps.mailer.close();
  await Promise.allSettled([deps.db.destroy(), closeRedis(deps.redis), deps.temporalConnection.close()]);
}
