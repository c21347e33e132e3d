/**
 * POST /v1/orders: Update-with-Start on `order-{orderId}` (USE_EXISTING while it runs, a closed
 * workflow's id is never reused), waiting up to ORDER_SYNC_WAIT_MS for `confirmed`.
 *
 * Duplicates: the order id is derived from (customer, Idempotency-Key), keyed with ORDER_ID_SECRET
 * (an order placed before ids were keyed keeps its unkeyed id: a retry finds it); the Update id from the
 * request hash, so concurrent identical requests — from any number of API instances — attach to
 * ONE Update of ONE workflow (the server deduplicates Update ids), and identical requests in this
 * process share one call. A different body under the same key is refused by the Update's
 * validator (or, once the workflow has closed, by the hash stored in Postgres): 422.
 */
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { taskQueues } from '../../config';
import { findRejection, getOrderHead, placementLookup } from '../../db/queries/orders';
import { AppError, dependencyUnavailable } from '../../domain/errors';
import { legacyOrderIdFor, orderIdFor, orderWorkflowId, requestHash } from '../../domain/orders/identity';
import type { OrderPolicy, OrderWorkflowInput, PlacementResult, Rejection } from '../../domain/orders/types';
import type { OrderView, PlaceOrderBody } from '../../domain/schemas/orders';
import type { Logger } from '../../observability/logger';
import { CustomerIdAttr, OrderIdAttr, OrderStatusAttr } from '../../temporal/search-attributes';
import { TemporalUnreachable, withWatchdog, workflowReachable } from '../../temporal/watchdog';
import { order, placeOrderUpdate } from '../../workflows/order';
import type { AppDeps } from '../deps';
import { orderRecords } from './records';
import { isResourceExhausted, isTemporalUnavailable, updateFailureCode } from './temporal-errors';
import { provisionalOrderView } from './view';

export interface PlacementOutcome {
  status: 201 | 202;
  order: OrderView;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function orderPolicy(config: AppDeps['config']): OrderPolicy {
  return {
    paymentWindowMs: config.PAYMENT_WINDOW_MINUTES * 60_000,
    failedHoldMs: config.FAILED_ORDER_HOLD_HOURS * 3_600_000,
    step: {
      maximumAttempts: config.ORDER_STEP_MAX_ATTEMPTS,
      initialIntervalMs: config.ORDER_STEP_RETRY_INITIAL_MS,
      maximumIntervalMs: config.ORDER_STEP_RETRY_MAX_MS,
    },
    tracking: {
      taskQueue: taskQueues(config).shipping,
      pollInitialMs: config.TRACKING_POLL_INITIAL_SECONDS * 1000,
      pollMaxMs: config.TRACKING_POLL_MAX_SECONDS * 1000,
    },
  };
}

export function rejectionError(r: Rejection): AppError {
  return new AppError(r.code, r.detail, r.errors ? { errors: r.errors } : {});
}

const reused = () =>
  new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body', {
    errors: [{ path: 'Idempotency-Key', message: 'already used with a different body' }],
  });

/** 201 once confirmed (or later), 202 while placed or failed. */
const statusFor = (o: OrderView): 201 | 202 => (o.status === 'placed' || o.status === 'failed' ? 202 : 201);

export function createOrderPlacement(deps: AppDeps) {
  const inflight = new Map<string, Promise<PlacementOutcome>>();
  const queue = taskQueues(deps.config).orders;
  const policy = orderPolicy(deps.config);

  const records = orderRecords(deps);
  const db = records.query;

  const fromPostgres = async (orderId: string): Promise<PlacementOutcome | undefined> => {
    const view = await records.find(orderId);
    return view ? { status: statusFor(view), order: view } : undefined;
  };

  /** The answer for an order whose workflow already closed: the stored outcome, or 422. */
  const fromClosed = async (orderId: string, hash: string): Promise<PlacementOutcome> => {
    const [rejection, head] = await db(() => Promise.all([findRejection(deps.db, orderId), getOrderHead(deps.db, orderId)]));
    if (rejection) {
      if (rejection.requestHash !== hash) throw reused();
      throw rejectionError(rejection.rejection);
    }
    if (head) {
      if (head.request_hash !== hash) throw reused();
      const out = await fromPostgres(orderId);
      if (out) return out;
    }
    throw new AppError('order_not_found', 'This order was closed without a record; use a new Idempotency-Key');
  };

  async function placeOnce(
    body: PlaceOrderBody,
    key: string,
    orderId: string,
    hash: string,
    log: Logger,
    legacyId: string | undefined = legacyOrderIdFor(body.customerId, key),
  ): Promise<PlacementOutcome> {
    const skus = body.items.map((i) => i.sku);
    const { head, rejection, products, legacyTaken } = await db(() => placementLookup(deps.db, { orderId, legacyId, skus }));
    // An order placed before ids were keyed (v1.0: unkeyed id) under this customer and key: a
    // retry of it must land on it, never open a second order. Asked in the same round trip;
    // droppable once no v1.0 retry can arrive any more.
    if (legacyId && legacyTaken && !head && !rejection) return placeOnce(body, key, legacyId, hash, log, undefined);
    if (rejection) {
      if (rejection.requestHash !== hash) throw reused();
      throw rejectionError(rejection.rejection);
    }
    if (head && head.request_hash !== hash) throw reused();
    if (head && head.status !== 'placed') {
      const out = await fromPostgres(orderId);
      if (out) return out;
    }
    const known = new Set(products.map((p) => p.sku));
    const unknown = body.items.flatMap((i, idx) =>
      known.has(i.sku) ? [] : [{ path: `items[${idx}].sku`, message: `unknown sku ${i.sku}` }],
    );
    if (unknown.length && !head) throw new AppError('invalid_request', 'Some items are not in the catalog', { errors: unknown });

    const workflowId = orderWorkflowId(orderId);
    const input: OrderWorkflowInput = {
      orderId,
      customerId: body.customerId,
      email: body.email,
      idempotencyKey: key,
      requestHash: hash,
      items: body.items,
      shippingAddress: body.shippingAddress,
      shipping: body.shipping,
      paymentToken: body.payment.token,
      policy,
    };
    const deadline = Date.now() + deps.config.ORDER_SYNC_WAIT_MS;
    let startOp: WithStartWorkflowOperation<typeof order> | undefined;
    try {
      for (;;) {
        const op = new WithStartWorkflowOperation(order, {
          workflowId,
          taskQueue: queue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: OrderIdAttr, value: orderId },
            { key: CustomerIdAttr, value: body.customerId },
            { key: OrderStatusAttr, value: 'placed' },
          ],
        });
        startOp = op;
        try {
          const result: PlacementResult = await withWatchdog(deps.temporalConnection, deadline, () =>
            deps.temporal.workflow.executeUpdateWithStart(placeOrderUpdate, {
              args: [{ requestHash: hash }],
              updateId: `place-${hash.slice(0, 32)}`,
              startWorkflowOperation: op,
            }),
          );
          if (result.outcome === 'rejected') throw rejectionError(result.rejection);
          const out = await fromPostgres(orderId);
          if (!out) throw new AppError('internal', 'The order was accepted but its record is missing');
          return out;
        } catch (err) {
          // Too many Updates in flight on this workflow (another instance's duplicates): back off briefly.
          if (isResourceExhausted(err) && Date.now() < deadline - 100) {
            await sleep(25 + Math.random() * 75);
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof WorkflowExecutionAlreadyStartedError) return fromClosed(orderId, hash);
      if (err instanceof TemporalUnreachable) throw dependencyUnavailable('temporal', err);
      const known = updateFailureCode(err);
      if (known) throw known;
      if (!isTemporalUnavailable(err)) throw err;
      // Slow (or down): 202 if the order exists or the workflow surely started, 503 if Temporal is unreachable.
      const out = await fromPostgres(orderId);
      if (out) return { status: 202, order: out.order };
      const handleStarted = startOp
        ? await Promise.race([
            startOp.workflowHandle().then(
              () => true,
              () => false,
            ),
            sleep(50).then(() => false),
          ])
        : false;
      const started = handleStarted || (await workflowReachable(deps.temporal, deps.temporalConnection, workflowId));
      if (started) {
        log.warn({ orderId }, 'order not confirmed within the synchronous window; answering 202');
        return { status: 202, order: provisionalOrderView(orderId, body, products) };
      }
      throw dependencyUnavailable('temporal', err);
    }
  }

  return {
    /** Places (or finds) the order for this customer and key. */
    async place(body: PlaceOrderBody, key: string, log: Logger): Promise<PlacementOutcome> {
      const orderId = orderIdFor(body.customerId, key, deps.config.ORDER_ID_SECRET);
      const hash = requestHash(body);
      const slot = `${orderId}:${hash}`;
      let p = inflight.get(slot);
      if (!p) {
        // Identical requests share one call, so they share one slot of the cap too (api/work-caps.ts).
        p = deps.caps.orders.run(() => placeOnce(body, key, orderId, hash, log)).finally(() => inflight.delete(slot));
        inflight.set(slot, p);
      }
      return p;
    },
  };
}
