/**
 * The sandbox carriers' price lists. Deterministic: the same destination, parcels and service
 * always cost the same, so tests and benchmarks can predict every quote.
 */
export interface SandboxService {
  service: string;
  /** Minor units (USD cents) per parcel. */
  base: number;
  /** Added per started weight step of `stepGrams`. */
  perStep: number;
  stepGrams: number;
  /** Added per zone above 1. */
  perZone: number;
  days: (zone: number) => number;
  domesticOnly?: boolean;
}

export interface SandboxCarrierDef {
  name: string;
  trackingPrefix: string;
  services: SandboxService[];
}

export const SANDBOX_CARRIERS: Record<string, SandboxCarrierDef> = {
  swiftship: {
    name: 'swiftship',
    trackingPrefix: 'SW',
    services: [
      { service: 'ground', base: 650, perStep: 95, stepGrams: 1000, perZone: 120, days: (z) => 2 + z },
      { service: 'express', base: 1450, perStep: 210, stepGrams: 1000, perZone: 180, days: (z) => Math.max(1, Math.ceil(z / 2)) },
      { service: 'overnight', base: 2900, perStep: 380, stepGrams: 1000, perZone: 250, days: () => 1, domesticOnly: true },
    ],
  },
  parcelpro: {
    name: 'parcelpro',
    trackingPrefix: 'PP',
    services: [
      { service: 'economy', base: 480, perStep: 55, stepGrams: 500, perZone: 90, days: (z) => 4 + z },
      { service: 'standard', base: 790, perStep: 140, stepGrams: 1000, perZone: 110, days: (z) => 2 + z },
      { service: 'priority', base: 1590, perStep: 260, stepGrams: 1000, perZone: 160, days: (z) => 1 + Math.ceil(z / 3) },
    ],
  },
};

export const HOME_COUNTRY = 'US';

/** Zone 1–4 inside the US (by the postal code's first digit), 5 for neighbours, 6 elsewhere. */
export function shippingZone(country: string, postalCode: string): number {
  const c = country.toUpperCase();
  if (c === HOME_COUNTRY) {
    const d = Number.parseInt(postalCode.trim().charAt(0), 10);
    return Number.isNaN(d) ? 4 : 1 + Math.floor(d / 3);
  }
  return c === 'CA' || c === 'MX' ? 5 : 6;
}

export function priceService(svc: SandboxService, zone: number, parcels: { weightGrams: number }[]): number {
  let total = 0;
  for (const p of parcels) {
    total += svc.base + svc.perZone * (zone - 1) + svc.perStep * Math.max(1, Math.ceil(p.weightGrams / svc.stepGrams));
  }
  return total;
}

export function sandboxRates(
  def: SandboxCarrierDef,
  destination: { country: string; postalCode: string },
  parcels: { weightGrams: number }[],
): { service: string; amount: { amount: number; currency: string }; estimatedDays: number }[] {
  const zone = shippingZone(destination.country, destination.postalCode);
  const domestic = destination.country.toUpperCase() === HOME_COUNTRY;
  return def.services
    .filter((s) => domestic || !s.domesticOnly)
    .map((s) => ({ service: s.service, amount: { amount: priceService(s, zone, parcels), currency: 'USD' }, estimatedDays: s.days(zone) }));
}
