import { type Clients, closeClients, createClients } from '../clients';
import type { Config } from '../config';
import { createMailer } from '../integrations/mail/client';
import type { Mailer } from '../integrations/mail/types';
import { createPaymentsClient } from '../integrations/payments/client';
import type { PaymentsClient } from '../integrations/payments/types';
import type { Logger } from '../observability/logger';
import { carrierShippingRates, type ShippingRates } from './shipping/pricing';

/**
 * The clients activities use, injected into `createActivities` (tests pass their own, pointed at
 * the test database, index prefix and sandboxes — no module mocking).
 */
export interface ActivityDeps extends Clients {
  config: Config;
  logger: Logger;
  /** The payment provider (the sandbox in dev and tests). */
  payments: PaymentsClient;
  /** SMTP (the mail sink in dev and tests). */
  mailer: Mailer;
  /** Shipping prices for orders (quotes and live carrier rates; tests of other things may inject flat rates). */
  shippingRates: ShippingRates;
}

export function createActivityDeps(config: Config, logger: Logger): ActivityDeps {
  const clients = createClients(config, logger, {
    applicationName: 'cathay-worker',
    meiliTimeoutMs: config.MEILI_INDEXING_TIMEOUT_MS,
    meiliKey: 'master', // indexing, settings, reindex-and-swap
  });
  return {
    config,
    logger,
    ...clients,
    // Orders are priced by the real carrier integration: stored quotes, or a live rate.
    shippingRates: carrierShippingRates(clients),
    payments: createPaymentsClient({ baseUrl: config.PAYMENT_URL, timeoutMs: config.PAYMENT_TIMEOUT_MS }),
    mailer: createMailer({ host: config.SMTP_HOST, port: config.SMTP_PORT, from: config.MAIL_FROM }),
  };
}

export async function closeActivityDeps(deps: ActivityDeps): Promise<void> {
  deps.mailer.close();
  await closeClients(deps);
}
