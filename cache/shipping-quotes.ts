/**
 * Shipping quotes in Redis. Two kinds of keys, both with a TTL:
 *   ship:rates:{requestHash}:{carrier} → what that carrier answered for that request: its quotes
 *       (for SHIPPING_QUOTE_TTL_SECONDS) or that it was unavailable (for the shorter
 *       SHIPPING_UNAVAILABLE_TTL_SECONDS, so a dead carrier is not asked on every request);
 *   ship:quote:{quoteId} → one quote with what it was computed for, so an order can use it.
 * Per-carrier entries mean a carrier that failed is asked again later without re-asking (or
 * re-pricing) the ones that answered: the same request within the TTL keeps its quoteIds.
 */
import type { Redis } from 'ioredis';
import { AppError, dependencyUnavailable } from '../domain/errors';
import type { Quote, UnavailableCarrier } from '../domain/schemas/shipping';
import type { NormalizedRatesRequest } from '../domain/shipping/rates-request';

export interface StoredQuote extends Quote {
  requestHash: string;
  destination: NormalizedRatesRequest['destination'];
  items: NormalizedRatesRequest['items'];
  parcels: { weightGrams: number }[];
}

export type CarrierRatesEntry = { ok: true; quotes: Quote[] } | { ok: false; reason: string };

const ratesKey = (hash: string, carrier: string) => `ship:rates:${hash}:${carrier}`;
const quoteKey = (quoteId: string) => `ship:quote:${quoteId}`;

/** What each carrier answered for this request, if still cached (undefined = ask it). */
export async function readCachedRates(redis: Redis, hash: string, carriers: string[]): Promise<Map<string, CarrierRatesEntry | undefined>> {
  const raw = carriers.length ? await redis.mget(...carriers.map((c) => ratesKey(hash, c))) : [];
  const out = new Map<string, CarrierRatesEntry | undefined>();
  carriers.forEach((c, i) => {
    const v = raw[i];
    out.set(c, v ? (JSON.parse(v) as CarrierRatesEntry) : undefined);
  });
  return out;
}

/** Stores a carrier's quotes (each under its id) and the request's cache entry, atomically. */
export async function storeCarrierQuotes(
  redis: Redis,
  hash: string,
  carrier: string,
  quotes: StoredQuote[],
  ttlSeconds: number,
): Promise<void> {
  const multi = redis.multi();
  for (const q of quotes) multi.set(quoteKey(q.quoteId), JSON.stringify(q), 'EX', ttlSeconds);
  const entry: CarrierRatesEntry = { ok: true, quotes: quotes.map(publicQuote) };
  multi.set(ratesKey(hash, carrier), JSON.stringify(entry), 'EX', ttlSeconds);
  await multi.exec();
}

/** Remembers a failed carrier for this request, unless a concurrent request got its quotes. */
export async function storeCarrierUnavailable(redis: Redis, hash: string, u: UnavailableCarrier, ttlSeconds: number): Promise<void> {
  const entry: CarrierRatesEntry = { ok: false, reason: u.reason };
  await redis.set(ratesKey(hash, u.carrier), JSON.stringify(entry), 'EX', ttlSeconds, 'NX');
}

export function publicQuote(q: Quote): Quote {
  return {
    quoteId: q.quoteId,
    carrier: q.carrier,
    service: q.service,
    amount: q.amount,
    estimatedDays: q.estimatedDays,
    expiresAt: q.expiresAt,
  };
}

/**
 * The quote an order refers to. Throws AppError `quote_expired` (409) when it is unknown or past
 * its expiry, and `dependency_unavailable` (503) when Redis does not answer.
 */
export async function resolveQuote(redis: Redis, quoteId: string, now: Date = new Date()): Promise<StoredQuote> {
  let raw: string | null;
  try {
    raw = /^q_[0-9a-f]{8,64}$/.test(quoteId) ? await redis.get(quoteKey(quoteId)) : null;
  } catch (err) {
    throw dependencyUnavailable('quote store', err);
  }
  const q = raw ? (JSON.parse(raw) as StoredQuote) : undefined;
  if (!q || Date.parse(q.expiresAt) <= now.getTime()) {
    throw new AppError('quote_expired', `Shipping quote ${quoteId} has expired or does not exist; ask for new rates`, {
      errors: [{ path: 'shipping.quoteId', message: 'expired or unknown quote' }],
    });
  }
  return q;
}
