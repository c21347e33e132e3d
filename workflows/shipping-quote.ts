/**
 * shippingQuote: asks every carrier in parallel (one local activity per carrier, each HTTP call
 * bounded by `callTimeoutMs`, retried with backoff up to `maxAttempts`) and returns what arrived
 * by `deadlineMs`: carriers that failed or are still pending go to `unavailable` with a reason.
 * The activities store the quotes (Redis, with their TTL) before returning them.
 *
 * Local activities, not regular ones: the calls are short and idempotent, and running them in the
 * worker that runs the workflow task saves the activity task round trips through the server.
 * Measured with bench/shipping (carriers at 100 ms, dev server): a cache miss p50 150 ms with local
 * activities vs 176–200 ms with regular ones, and 27.7 vs 18–21 misses/s at 10 connections. The
 * guarantees are the same: per-attempt timeout, bounded retries, schedule-to-close = the deadline,
 * a crashed worker's workflow task is retried elsewhere.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, proxyLocalActivities, sleep, TimeoutFailure } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Quote, UnavailableCarrier } from '../domain/schemas/shipping';
import type { Parcel } from '../domain/shipping/parcels';
import type { NormalizedRatesRequest } from '../domain/shipping/rates-request';

export interface ShippingQuoteInput {
  carriers: string[];
  requestHash: string;
  request: NormalizedRatesRequest;
  parcels: Parcel[];
  deadlineMs: number;
  callTimeoutMs: number;
  maxAttempts: number;
  ttlSeconds: number;
}

export interface ShippingQuoteResult {
  quotes: Quote[];
  unavailable: UnavailableCarrier[];
}

export const shippingQuoteWorkflowId = (requestHash: string) => `shipping-quote-${requestHash}`;

/** Reasons a storefront may see; anything else (e.g. the quote store failing) is `unavailable`. */
const REASONS = new Set(['timeout', 'unavailable', 'rejected', 'invalid_response']);

function reasonOf(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure) return 'timeout';
  if (cause instanceof ApplicationFailure && cause.type && REASONS.has(cause.type)) return cause.type;
  return 'unavailable';
}

export async function shippingQuote(input: ShippingQuoteInput): Promise<ShippingQuoteResult> {
  const { fetchCarrierRates } = proxyLocalActivities<Activities>({
    // The activity's own HTTP timeout fires first; this only catches a stuck call.
    startToCloseTimeout: input.callTimeoutMs + 500,
    scheduleToCloseTimeout: input.deadlineMs,
    retry: {
      initialInterval: '100 ms',
      backoffCoefficient: 2,
      maximumInterval: '500 ms',
      maximumAttempts: input.maxAttempts,
      nonRetryableErrorTypes: ['rejected', 'invalid_request'],
    },
  });

  const answers = new Map<string, { quotes: Quote[] } | { reason: string }>();
  const scope = new CancellationScope();
  const calls = input.carriers.map((carrier) =>
    scope
      .run(() =>
        fetchCarrierRates({
          carrier,
          requestHash: input.requestHash,
          request: input.request,
          parcels: input.parcels,
          timeoutMs: input.callTimeoutMs,
          ttlSeconds: input.ttlSeconds,
        }),
      )
      .then(
        (quotes) => answers.set(carrier, { quotes }),
        (err) => answers.set(carrier, { reason: reasonOf(err) }),
      ),
  );
  // The activities' schedule-to-close timeout already ends them at the deadline; the timer is the
  // workflow's own guarantee that it answers even if a timeout event is late.
  await Promise.race([Promise.all(calls), sleep(input.deadlineMs + 100)]);
  if (answers.size < input.carriers.length) scope.cancel();

  const quotes: Quote[] = [];
  const unavailable: UnavailableCarrier[] = [];
  for (const carrier of input.carriers) {
    const a = answers.get(carrier);
    if (!a) unavailable.push({ carrier, reason: 'timeout' });
    else if ('quotes' in a) quotes.push(...a.quotes);
    else unavailable.push({ carrier, reason: a.reason });
  }
  return { quotes, unavailable };
}
