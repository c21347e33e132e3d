/**
 * Configuration of the chaos stack's API and workers: retry budgets short enough that an order
 * whose step cannot succeed during an outage parks as `failed` within seconds (support then
 * retries it) instead of retrying for minutes; everything else is the defaults.
 */
export const CHAOS_STACK_ENV: Record<string, string> = {
  ORDER_STEP_MAX_ATTEMPTS: '4',
  ORDER_STEP_RETRY_INITIAL_MS: '1000',
  ORDER_STEP_RETRY_MAX_MS: '4000',
  PAYMENT_TIMEOUT_MS: '3000',
  SSE_HEARTBEAT_MS: '2000',
};
