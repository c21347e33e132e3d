/**
 * POST /v1/shipping/rates, behind the route: normalize the request, answer from the per-carrier
 * cache when every carrier's answer is there, otherwise run the shippingQuote workflow for the
 * carriers that are missing (one workflow per request hash: identical concurrent requests share
 * it) and merge. The API waits at most deadline + margin, so an answer always leaves in time.
 */
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { type CarrierRatesEntry, readCachedRates, storeCarrierUnavailable } from '../../cache/shipping-quotes';
import { taskQueues } from '../../config';
import { loadProductWeights } from '../../db/queries/product-weights';
import { isPostgresUnavailable } from '../../db/unavailable';
import { dependencyUnavailable } from '../../domain/errors';
import type { Quote, RatesRequest, RatesResponse, UnavailableCarrier } from '../../domain/schemas/shipping';
import { parcelsForItems } from '../../domain/shipping/parcels';
import { normalizeRatesRequest, ratesRequestHash } from '../../domain/shipping/rates-request';
import type { Logger } from '../../observability/logger';
import { type ShippingQuoteInput, type ShippingQuoteResult, shippingQuote, shippingQuoteWorkflowId } from '../../workflows/shipping-quote';
import type { AppDeps } from '../deps';

/**
 * How much longer than the workflow's own deadline the API waits for it. Past that (Temporal
 * overloaded), the API answers from what the carriers' activities already stored, so a response
 * always leaves within deadline + margin (2.5 s by default, leaving headroom under load).
 */
const API_MARGIN_MS = 500;

export async function quoteRates(deps: AppDeps, body: RatesRequest, log: Logger): Promise<RatesResponse & { cached: boolean }> {
  const carriers = deps.carriers.names();
  const normalized = normalizeRatesRequest(body);
  const hash = ratesRequestHash(normalized);

  let cached: Map<string, CarrierRatesEntry | undefined>;
  try {
    cached = await readCachedRates(deps.redis, hash, carriers);
  } catch (err) {
    // Quotes live in Redis: without it no quoteId could be used to order, so say so at once.
    deps.metrics.dependencyErrors.inc({ dependency: 'redis' });
    throw dependencyUnavailable('quote store', err, 2);
  }
  const missing = carriers.filter((c) => cached.get(c) === undefined);
  const fresh: ShippingQuoteResult = { quotes: [], unavailable: [] };

  if (missing.length) {
    let weights: Map<string, number>;
    try {
      weights = await loadProductWeights(
        deps.db,
        normalized.items.map((i) => i.sku),
      );
    } catch (err) {
      // Only a connection failure is an outage; a data error is a bug (500), never a false 503.
      if (isPostgresUnavailable(err)) throw dependencyUnavailable('database', err);
      throw err;
    }
    // The request's own lines (their indexes name the unknown skus); the same parcels as the
    // normalized lines, planning does not depend on how the lines are split or ordered.
    const parcels = parcelsForItems(body.items, weights);

    const input: ShippingQuoteInput = {
      carriers: missing,
      requestHash: hash,
      request: normalized,
      parcels,
      deadlineMs: deps.config.SHIPPING_RATES_DEADLINE_MS,
      callTimeoutMs: deps.config.CARRIER_TIMEOUT_MS,
      maxAttempts: deps.config.CARRIER_RATE_MAX_ATTEMPTS,
      ttlSeconds: deps.config.SHIPPING_QUOTE_TTL_SECONDS,
    };
    // A miss starts a quote workflow: capped per process (api/work-caps.ts); hits are not.
    const outcome = await deps.caps.shippingRates.run(() => runQuoteWorkflow(deps, input));
    if (outcome !== 'late') Object.assign(fresh, outcome);
    else {
      // The workflow is still running: take what its activities have stored so far.
      log.warn({ requestHash: hash, missing }, 'shippingQuote did not answer in time; answering from the stored quotes');
      deps.metrics.dependencyFallback.inc({ dependency: 'temporal', operation: 'shipping_rates' });
      const stored = await readCachedRates(deps.redis, hash, missing).catch(() => new Map<string, CarrierRatesEntry | undefined>());
      // Nothing at all came back: the quoting side (workers) is down, not the carriers — say so.
      if (![...stored.values()].some((e) => e?.ok) && !carriers.some((c) => cached.get(c)?.ok)) {
        throw dependencyUnavailable('shipping quotes (workers)', undefined, 5);
      }
      for (const carrier of missing) {
        const entry = stored.get(carrier);
        if (entry?.ok) fresh.quotes.push(...entry.quotes);
        else fresh.unavailable.push({ carrier, reason: 'timeout' });
      }
    }
    for (const u of fresh.unavailable) {
      storeCarrierUnavailable(deps.redis, hash, u, deps.config.SHIPPING_UNAVAILABLE_TTL_SECONDS).catch((err) =>
        log.warn({ err, carrier: u.carrier }, 'could not cache an unavailable carrier'),
      );
    }
  }

  const quotes: Quote[] = [...fresh.quotes];
  const unavailable: UnavailableCarrier[] = [];
  for (const carrier of carriers) {
    const entry = cached.get(carrier);
    if (entry?.ok) quotes.push(...entry.quotes);
    else if (entry) unavailable.push({ carrier, reason: entry.reason });
  }
  unavailable.push(...fresh.unavailable);
  quotes.sort(
    (a, b) =>
      a.amount.amount - b.amount.amount ||
      a.estimatedDays - b.estimatedDays ||
      a.carrier.localeCompare(b.carrier) ||
      a.service.localeCompare(b.service),
  );
  unavailable.sort((a, b) => a.carrier.localeCompare(b.carrier));
  return { quotes, unavailable, cached: missing.length === 0 };
}

/** The workflow's answer, or 'late' when it has not answered within the API's budget. */
async function runQuoteWorkflow(deps: AppDeps, input: ShippingQuoteInput): Promise<ShippingQuoteResult | 'late'> {
  const budgetMs = input.deadlineMs + API_MARGIN_MS;
  const deadline = Date.now() + budgetMs;
  // Every Temporal call below carries the deadline, so nothing (the result long poll included)
  // outlives the request; the timer is a backstop should a call not honour it.
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs + 150);
  });
  const run = deps.temporal
    .withDeadline(deadline, async () => {
      const handle = await deps.temporal.workflow.start(shippingQuote, {
        taskQueue: taskQueues(deps.config).shipping,
        workflowId: shippingQuoteWorkflowId(input.requestHash),
        // An identical request already being quoted: wait for that one instead of asking twice.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowExecutionTimeout: `${input.deadlineMs + 30_000} ms`,
        args: [input],
      });
      return handle.result();
    })
    .catch((err: unknown): 'late' => {
      if (Date.now() >= deadline - 50) return 'late';
      throw dependencyUnavailable('shipping quotes (Temporal)', err, 2);
    });
  try {
    return await Promise.race([run, backstop]);
  } finally {
    clearTimeout(timer);
    run.catch(() => {}); // settled by the race; never an unhandled rejection
  }
}
