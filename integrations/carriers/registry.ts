/**
 * The carriers the engine uses, from configuration (CARRIERS_ENABLED). Every name is a carrier
 * speaking the direct carrier API at CARRIER_URL, unless an adapter factory is registered for it
 * (an aggregator is one more entry in `ADAPTERS`).
 */
import { type Config, carrierWebhookSecret } from '../../config';
import { DirectCarrier } from './direct-carrier';
import { EasyPostCarrier } from './easypost';
import type { Carrier } from './types';

export type CarrierConfig = Pick<Config, 'CARRIER_URL' | 'CARRIERS_ENABLED' | 'CARRIER_WEBHOOK_SECRET' | 'CARRIER_TIMEOUT_MS'> &
  Partial<
    Pick<Config, 'CARRIER_WEBHOOK_SECRETS' | 'EASYPOST_URL' | 'EASYPOST_API_KEY' | 'EASYPOST_WEBHOOK_SECRET' | 'EASYPOST_FROM_ADDRESS_ID'>
  >;

type AdapterFactory = (name: string, config: CarrierConfig) => Carrier;

const ADAPTERS: Record<string, AdapterFactory> = {
  easypost: (name, config) => {
    if (!config.EASYPOST_API_KEY || !config.EASYPOST_FROM_ADDRESS_ID) {
      throw new Error('CARRIERS_ENABLED lists easypost: set EASYPOST_API_KEY and EASYPOST_FROM_ADDRESS_ID');
    }
    return new EasyPostCarrier({
      name,
      baseUrl: config.EASYPOST_URL ?? 'https://api.easypost.com/v2',
      apiKey: config.EASYPOST_API_KEY,
      webhookSecret: carrierWebhookSecret(config, name),
      fromAddressId: config.EASYPOST_FROM_ADDRESS_ID,
      timeoutMs: config.CARRIER_TIMEOUT_MS,
    });
  },
};

const direct: AdapterFactory = (name, config) =>
  new DirectCarrier({
    name,
    baseUrl: config.CARRIER_URL,
    webhookSecret: carrierWebhookSecret(config, name),
    timeoutMs: config.CARRIER_TIMEOUT_MS,
  });

export class CarrierRegistry {
  private readonly byName: Map<string, Carrier>;

  constructor(carriers: Carrier[]) {
    this.byName = new Map(carriers.map((c) => [c.name, c]));
  }

  /** Names in configuration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): Carrier | undefined {
    return this.byName.get(name);
  }

  /** Throws a descriptive error for a carrier that is not enabled. */
  require(name: string): Carrier {
    const c = this.byName.get(name);
    if (!c) throw new Error(`carrier "${name}" is not enabled (CARRIERS_ENABLED=${this.names().join(',')})`);
    return c;
  }
}

export function parseCarrierNames(spec: string): string[] {
  const names = spec
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(n)) throw new Error(`CARRIERS_ENABLED: invalid carrier name "${n}"`);
  return [...new Set(names)];
}

export function createCarriers(config: CarrierConfig): CarrierRegistry {
  return new CarrierRegistry(parseCarrierNames(config.CARRIERS_ENABLED).map((name) => (ADAPTERS[name] ?? direct)(name, config)));
}
