/**
 * Caps on work that costs money or workflows (CONTRACT v1.1 "Limits"): shipping-rate cache misses
 * (each starts a quote workflow that calls every carrier) and order placements (each holds a
 * Temporal Update open for up to ORDER_SYNC_WAIT_MS). Above the cap a request is refused at once
 * with 429 `rate_limited` and `Retry-After` — never queued, so a burst cannot build a backlog that
 * answers after the client gave up.
 *
 * Per process, on purpose: the cap bounds what THIS process holds open (long polls, sockets,
 * memory, event-loop time), which is exactly what a burst exhausts; with N API replicas the
 * cluster-wide bound is N × cap, known from the deployment. A Redis-backed semaphore would cost a
 * round trip per acquire and release, need leases with expiry (a crashed replica's slots would
 * leak until they expired) and would have to fail open when Redis is down — when a bound matters
 * most. The per-client fairness that must be shared across replicas is the rate limiter's job.
 *
 * Not a library: every semaphore package found queues waiters (p-limit, async-sema); the
 * non-queueing try-acquire needed here is one counter.
 */
import type { Config } from '../config';
import { AppError } from '../domain/errors';

export class ConcurrencyCap {
  private running = 0;

  constructor(
    readonly name: string,
    readonly max: number,
    /** Seconds a refused client should wait. */
    private readonly retryAfterSeconds = 1,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** Runs `fn` when a slot is free, else throws 429 `rate_limited` at once. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      throw new AppError('rate_limited', `Too many ${this.name} in progress; retry in ${this.retryAfterSeconds} s`, {
        retryAfter: this.retryAfterSeconds,
        extra: { cap: this.max },
      });
    }
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
    }
  }
}

export interface WorkCaps {
  shippingRates: ConcurrencyCap;
  orders: ConcurrencyCap;
}

export function createWorkCaps(config: Pick<Config, 'SHIPPING_RATES_MAX_CONCURRENT' | 'ORDERS_MAX_CONCURRENT'>): WorkCaps {
  return {
    shippingRates: new ConcurrencyCap('shipping-rate requests', config.SHIPPING_RATES_MAX_CONCURRENT, 1),
    orders: new ConcurrencyCap('order placements', config.ORDERS_MAX_CONCURRENT, 2),
  };
}
