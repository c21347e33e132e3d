/**
 * The order workflow's three ways of calling activities. All local activities: the short steps
 * (database and payment calls, idempotent by order id + step) and the email run as markers in the
 * workflow task that changes the status, so the path to `confirmed` is one workflow task.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { OrderPolicy } from '../../domain/orders/types';

export interface OrderActivities {
  /** Steps that count toward `failed`: their retry policy is the order policy. */
  steps: Activities;
  /**
   * Bookkeeping that must happen whatever it takes: writing the order row (before it exists there
   * is nothing support could see or resume, and the storefront already holds a Location to poll)
   * and recording `failed` itself (the park cannot park). Deliberately unbounded for outages,
   * which end; an error no retry can fix is a non-retryable failure (activities/failures.ts) and
   * ends the retries at once. Orders started before `bounded-bookkeeping` also run their
   * compensations through it.
   */
  books: Activities;
  /** Emails: never hold the answer, never fail the order. */
  mail: Activities;
}

function retryPolicy(p: OrderPolicy, unlimited = false) {
  return {
    initialInterval: p.step.initialIntervalMs,
    maximumInterval: p.step.maximumIntervalMs,
    backoffCoefficient: 2,
    // unset = unlimited
    ...(unlimited ? {} : { maximumAttempts: p.step.maximumAttempts }),
  };
}

export function orderActivities(policy: OrderPolicy): OrderActivities {
  return {
    steps: proxyLocalActivities<Activities>({
      startToCloseTimeout: '15 seconds',
      localRetryThreshold: '10 seconds',
      retry: retryPolicy(policy),
    }),
    books: proxyLocalActivities<Activities>({
      startToCloseTimeout: '15 seconds',
      localRetryThreshold: '10 seconds',
      retry: retryPolicy(policy, true),
    }),
    /**
     * Emails: local activities too (one marker in the task that changes the status, instead of an
     * activity task and a second workflow task: measured, that halves the server's writes per
     * order). Only the first attempt runs inline (a local relay answers in milliseconds); every
     * retry waits on a durable timer (`localRetryThreshold` below the first backoff), so a mail
     * outage neither holds the storefront's answer nor fails the order. Retried for an hour.
     */
    mail: proxyLocalActivities<Activities>({
      startToCloseTimeout: '10 seconds',
      scheduleToCloseTimeout: '1 hour',
      localRetryThreshold: '1 second',
      retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
    }),
  };
}
