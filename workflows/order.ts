/**
 * The order workflow (`order-{orderId}`, task queue `orders`): price → write the order → reserve
 * stock → authorize payment within the payment window → confirm → email → wait for shipment →
 * capture at shipment → delivered. Started by `POST /v1/orders` with Update-with-Start
 * (`placeOrderUpdate`), so the storefront gets `confirmed` synchronously and a duplicate request
 * lands on the same workflow.
 *
 * History is kept small for throughput on a single-shard server: the short steps (database and
 * payment calls, all idempotent by order id + step) are local activities, so the whole path to
 * `confirmed` — email included — is one workflow task (markers, no activity task round trips).
 *
 * Failure: a step that exhausts its retry policy sets `failed` (with `failure`) and the workflow
 * waits — stock still held — for a `retry` Update (resumes at the failed step) or `cancel`, up to
 * `policy.failedHoldMs`, after which it cancels itself. Cancellation runs the compensations in
 * reverse (void or refund, release stock), then emails.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FieldError } from '../domain/errors';
import { isCancellable, isTerminal, manualTransitionError, type OrderStatus } from '../domain/orders/status';
import type {
  EmailKind,
  Failure,
  OrderPolicy,
  OrderStep,
  OrderWorkflowInput,
  OrderWorkflowState,
  PlacementResult,
  PricedOrder,
  Rejection,
  SetStatusRequest,
  ShipRequest,
} from '../domain/orders/types';
import { OrderStatusAttr, OrderTotalAttr } from '../temporal/search-attributes';
import { shipmentTracking, shipmentTrackingWorkflowId } from './shipment-tracking';

// ---- the workflow's API (imported by the API and by the shipment tracking workflow) ----------

/** Update-with-Start target: resolves once the order is confirmed, refused or failed. */
export const placeOrderUpdate = defineUpdate<PlacementResult, [{ requestHash: string }]>('placeOrder');
/** Cancels with compensations; refused (`order_not_cancellable`) once shipped. */
export const cancelOrderUpdate = defineUpdate<{ status: OrderStatus }, [{ reason?: string; by?: string }]>('cancel');
/** Support: a `failed` order resumes at the step that failed; refused (`order_not_failed`) otherwise. */
export const retryOrderUpdate = defineUpdate<{ status: OrderStatus; step: OrderStep | null }, [{ by?: string; note?: string }]>('retry');
/** Ops: a manual transition along the graph (`invalid_transition` otherwise). */
export const setOrderStatusUpdate = defineUpdate<{ status: OrderStatus }, [SetStatusRequest]>('setStatus');
/**
 * Ops: book the shipment with the carrier (the order's carrier and service unless given), capture
 * the payment, commit the stock, set `shipped`, start tracking. Refused (`invalid_transition`)
 * unless the order is `confirmed`.
 */
export const shipOrderUpdate = defineUpdate<{ status: OrderStatus; trackingNumber: string | null }, [ShipOrderRequest]>('ship');
export interface ShipOrderRequest {
  carrier?: string;
  service?: string;
  note?: string;
}
/** The shipment tracking workflow reports delivery. */
export const shipmentDeliveredSignal = defineSignal<[{ trackingNumber?: string; note?: string }]>('shipmentDelivered');
export const orderStateQuery = defineQuery<OrderWorkflowState>('state');

export interface OrderResult {
  orderId: string;
  status: OrderStatus;
}

// ---- internals ----------------------------------------------------------------------------------

/**
 * Workflow versioning (replay of orders started by older code, test/order-replay.test.ts):
 * shipping is priced inside `openPricedOrder` (one local activity instead of `priceShipping` +
 * `openOrder`: one workflow activation fewer per order).
 */
const PATCH_OPEN_PRICED_ORDER = 'open-priced-order';

/** Control flow: the order is being cancelled (by request, payment window or hold expiry). */
class OrderCancelled extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
/** Control flow: the order is refused (out of stock, declined, bad shipping choice). */
class OrderRejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

const REJECTION_CODES = new Set<Rejection['code']>(['out_of_stock', 'payment_declined', 'invalid_request', 'quote_expired']);

function rejectionOf(err: unknown): Rejection | undefined {
  // ActivityFailure → ApplicationFailure (its type is the contract code); walk the cause chain.
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApplicationFailure && e.type && REJECTION_CODES.has(e.type as Rejection['code'])) {
      const errors = e.details?.[0] as FieldError[] | undefined;
      return { code: e.type as Rejection['code'], detail: e.message, ...(errors ? { errors } : {}) };
    }
  }
  return undefined;
}

const FAILURE_CODES: Record<string, string> = {
  PaymentUnavailableError: 'payment_provider_unavailable',
  payment_rejected: 'payment_rejected',
};

function failureOf(step: OrderStep, err: unknown): Failure {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  let code = 'step_failed';
  let retryable = true;
  let message = err instanceof Error ? err.message : String(err);
  if (cause instanceof ApplicationFailure) {
    code = FAILURE_CODES[cause.type ?? ''] ?? (cause.type ? `${step}_failed` : code);
    retryable = !cause.nonRetryable;
    message = cause.message;
  } else if (cause instanceof Error) {
    message = cause.message;
    if (cause.name === 'TimeoutFailure') code = `${step}_timeout`;
  }
  return { code, message: message.slice(0, 500), step, retryable };
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

export async function order(input: OrderWorkflowInput): Promise<OrderResult> {
  const { orderId, policy } = input;
  const workflowId = workflowInfo().workflowId;

  /** Steps that count toward `failed`: their retry policy is the order policy. */
  const steps = proxyLocalActivities<Activities>({
    startToCloseTimeout: '15 seconds',
    localRetryThreshold: '10 seconds',
    retry: retryPolicy(policy),
  });
  /** Bookkeeping that must happen whatever it takes (before the order row exists, compensations). */
  const books = proxyLocalActivities<Activities>({
    startToCloseTimeout: '15 seconds',
    localRetryThreshold: '10 seconds',
    retry: retryPolicy(policy, true),
  });
  /**
   * Emails: local activities too (one marker in the task that changes the status, instead of an
   * activity task and a second workflow task: measured, that halves the server's writes per
   * order). Only the first attempt runs inline (a local relay answers in milliseconds); every
   * retry waits on a durable timer (`localRetryThreshold` below the first backoff), so a mail
   * outage neither holds the storefront's answer nor fails the order. Retried for an hour.
   */
  const mail = proxyLocalActivities<Activities>({
    startToCloseTimeout: '10 seconds',
    scheduleToCloseTimeout: '1 hour',
    localRetryThreshold: '1 second',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });

  const st: OrderWorkflowState = {
    orderId,
    status: 'placed',
    failure: null,
    authorizationId: null,
    captureId: null,
    total: null,
    trackingNumber: null,
  };
  let priced: PricedOrder | undefined;
  let placement: PlacementResult | undefined;
  let cancelRequest: { reason: string; by: string } | undefined;
  let retryRequested = false;
  let shipRequest: ShipRequest | undefined;
  let deliverRequest: { note?: string } | undefined;
  let shipped = false;
  /** A step that a cancellation or the payment window may cut short. */
  let interruptible: CancellationScope | undefined;
  let failures = 0;
  let failedStep: OrderStep | null = null;
  const compensations: Array<{ name: 'stock' | 'payment'; run: () => Promise<unknown> }> = [];
  const emails: Promise<unknown>[] = [];

  // ---- handlers ----

  setHandler(orderStateQuery, () => ({ ...st }));

  setHandler(
    placeOrderUpdate,
    async (): Promise<PlacementResult> => {
      await condition(() => placement !== undefined || st.status === 'failed' || isTerminal(st.status));
      return placement ?? { outcome: 'accepted', status: st.status };
    },
    {
      validator: ({ requestHash }) => {
        if (requestHash !== input.requestHash) {
          throw ApplicationFailure.create({
            type: 'idempotency_key_reused',
            message: 'This Idempotency-Key was used with a different request body',
            nonRetryable: true,
          });
        }
      },
    },
  );

  const validateCancel = () => {
    // A failed order may be cancelled unless it failed after shipment; a shipment in progress
    // (not failed) cannot be cancelled any more.
    const shipping = shipped || (shipRequest !== undefined && st.status !== 'failed');
    if (shipping || isTerminal(st.status) || !isCancellable(st.status === 'failed' ? 'placed' : st.status)) {
      throw ApplicationFailure.create({
        type: 'order_not_cancellable',
        message: shipping ? 'The order has shipped (or is being shipped)' : `The order is ${st.status}`,
        nonRetryable: true,
      });
    }
  };
  const requestCancel = async (reason: string, by: string) => {
    cancelRequest ??= { reason, by };
    interruptible?.cancel();
    await condition(() => st.status === 'cancelled');
    return { status: st.status };
  };

  setHandler(cancelOrderUpdate, (req) => requestCancel(req.reason ?? 'cancelled by the customer', req.by ?? 'customer'), {
    validator: (_req) => validateCancel(),
  });

  setHandler(
    retryOrderUpdate,
    (_req) => {
      retryRequested = true;
      return { status: st.status, step: failedStep };
    },
    {
      validator: (_req) => {
        if (st.status !== 'failed' || cancelRequest) {
          throw ApplicationFailure.create({
            type: 'order_not_failed',
            message: `The order is ${st.status}, not failed`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(
    setOrderStatusUpdate,
    async (req) => {
      if (req.status === 'cancelled') return requestCancel(req.note || 'cancelled by operations', 'ops');
      if (req.status === 'shipped') {
        shipRequest = req;
        await condition(() => shipped || st.status === 'failed' || isTerminal(st.status));
      } else if (req.status === 'delivered') {
        deliverRequest = { note: req.note };
        await condition(() => st.status === 'delivered' || st.status === 'failed');
      }
      return { status: st.status };
    },
    {
      validator: (req) => {
        if (req.status === 'cancelled') validateCancel();
        const problem = manualTransitionError(st.status, req.status);
        const busy = (req.status === 'shipped' && shipRequest) || (req.status === 'delivered' && deliverRequest) || cancelRequest;
        if (problem || busy) {
          throw ApplicationFailure.create({
            type: 'invalid_transition',
            message: problem ?? `The order is already changing (${st.status})`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(
    shipOrderUpdate,
    async (req) => {
      shipRequest = { ...req, book: true };
      await condition(() => shipped || st.status === 'failed' || isTerminal(st.status));
      return { status: st.status, trackingNumber: st.trackingNumber ?? null };
    },
    {
      validator: (_req) => {
        const problem = manualTransitionError(st.status, 'shipped');
        if (problem || shipRequest || cancelRequest) {
          throw ApplicationFailure.create({
            type: 'invalid_transition',
            message: problem ?? `The order is already changing (${st.status})`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  setHandler(shipmentDeliveredSignal, (s) => {
    deliverRequest ??= { note: s.note ?? (s.trackingNumber ? `delivered (${s.trackingNumber})` : 'delivered') };
  });

  // ---- helpers ----

  const setSearchStatus = (status: OrderStatus) => {
    upsertSearchAttributes([
      { key: OrderStatusAttr, value: status },
      ...(st.total !== null ? [{ key: OrderTotalAttr, value: st.total }] : []),
    ]);
  };

  const sendEmail = (kind: EmailKind, extra: { reason?: string; refunded?: boolean } = {}) => {
    const p = mail.sendOrderEmail({ orderId, kind, ...extra }).catch((err) => {
      log.warn('order email not sent', { orderId, kind, error: String(err) });
    });
    emails.push(p);
  };

  /** Sets `failed`, then waits for support: true = retry the step, or throws OrderCancelled. */
  const failAndWait = async (step: OrderStep, err: unknown): Promise<void> => {
    const resumeStatus = st.status;
    failures += 1;
    failedStep = step;
    const failure = failureOf(step, err);
    st.status = 'failed';
    st.failure = failure;
    await books.recordOrderStatus({ orderId, eventKey: `failed:${failures}`, status: 'failed', note: failure.message, failure });
    setSearchStatus('failed');
    log.warn('order step failed; waiting for retry or cancel', { orderId, step, code: failure.code });
    const resumed = await condition(() => retryRequested || cancelRequest !== undefined, policy.failedHoldMs);
    if (!resumed) cancelRequest = { reason: 'failed order was not resumed within the hold limit', by: 'system' };
    if (cancelRequest) throw new OrderCancelled(cancelRequest.reason);
    retryRequested = false;
    failedStep = null;
    st.status = resumeStatus;
    st.failure = null;
    await books.recordOrderStatus({
      orderId,
      eventKey: `retry:${failures}`,
      status: resumeStatus,
      note: `resumed at ${step} by support`,
      failure: null,
    });
    setSearchStatus(resumeStatus);
  };

  /** A refusal from a bookkeeping call (pricing) becomes a rejection; anything else propagates. */
  const rejectable = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      const rejection = rejectionOf(err);
      if (rejection) throw new OrderRejected(rejection);
      throw err;
    }
  };

  /** Runs a step; when it exhausts its retries the order fails and waits, then the step runs again. */
  const runStep = async <T>(step: OrderStep, fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      if (cancelRequest) throw new OrderCancelled(cancelRequest.reason);
      try {
        return await fn();
      } catch (err) {
        if (err instanceof OrderCancelled || err instanceof OrderRejected) throw err;
        const rejection = rejectionOf(err);
        if (rejection) throw new OrderRejected(rejection);
        // (set by the cancel handler while fn ran; TypeScript cannot see that)
        const cancel = cancelRequest as { reason: string } | undefined;
        if (cancel && isCancellation(err)) throw new OrderCancelled(cancel.reason);
        await failAndWait(step, err);
      }
    }
  };

  /** Authorization, cut short by the payment window (stock is released) or by a cancellation. */
  const authorizeWithinWindow = (p: PricedOrder) =>
    runStep('authorize', async () => {
      const scope = new CancellationScope();
      const windowScope = new CancellationScope();
      let expired = false;
      interruptible = scope;
      void windowScope
        .run(() => sleep(policy.paymentWindowMs))
        .then(
          () => {
            expired = true;
            scope.cancel();
          },
          () => undefined,
        );
      try {
        return await scope.run(() => steps.authorizePayment({ orderId, amount: p.total, currency: p.currency, token: input.paymentToken }));
      } catch (err) {
        if (expired && isCancellation(err)) throw new OrderCancelled('the payment was not authorized within the payment window');
        throw err;
      } finally {
        interruptible = undefined;
        windowScope.cancel();
      }
    });

  // ---- the steps ----

  /** placed → confirmed. */
  const place = async () => {
    const row = {
      orderId,
      workflowId,
      customerId: input.customerId,
      email: input.email,
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      items: input.items,
      shippingAddress: input.shippingAddress,
    };
    if (patched(PATCH_OPEN_PRICED_ORDER)) {
      priced = await rejectable(() => books.openPricedOrder({ ...row, shippingChoice: input.shipping }));
    } else {
      // Orders started before the patch replay their two markers.
      const shipping = await rejectable(() =>
        books.priceShipping({ shipping: input.shipping, destination: input.shippingAddress, items: input.items }),
      );
      priced = await rejectable(() => books.openOrder({ ...row, shipping }));
    }
    st.total = priced.total;

    const holdUntil = new Date(Date.now() + policy.paymentWindowMs).toISOString();
    const reservation = await runStep('reserve', () =>
      steps.reserveStock({ orderId, lines: input.items.map((i) => ({ sku: i.sku, quantity: i.quantity })), holdUntil }),
    );
    if (!reservation.ok) {
      throw new OrderRejected({
        code: 'out_of_stock',
        detail: 'Not enough stock for some items',
        errors: reservation.shortfalls.map((s) => ({
          path: `items[${s.index}]`,
          message: `only ${s.available} available`,
          sku: s.sku,
          requested: s.requested,
          available: s.available,
        })),
      });
    }
    compensations.push({ name: 'stock', run: () => books.releaseReservation({ orderId, reason: 'order cancelled' }) });

    const p = priced;
    compensations.push({
      name: 'payment',
      run: async () => {
        if (st.captureId) {
          await books.refundPayment({ orderId, captureId: st.captureId, amount: p.total });
          return { refunded: true };
        }
        await books.voidPayment({
          orderId,
          amount: p.total,
          currency: p.currency,
          token: input.paymentToken,
          ...(st.authorizationId ? { authorizationId: st.authorizationId } : {}),
        });
        return { refunded: false };
      },
    });
    const auth = await authorizeWithinWindow(p);
    st.authorizationId = auth.authorizationId;

    await runStep('confirm', () =>
      steps.recordOrderStatus({ orderId, eventKey: 'confirmed', status: 'confirmed', authorizationId: auth.authorizationId }),
    );
    st.status = 'confirmed';
    setSearchStatus('confirmed');
    placement = { outcome: 'accepted', status: 'confirmed' };
    sendEmail('confirmed');
  };

  /**
   * confirmed → shipped: capture the payment, commit the reserved stock, record the shipment.
   * Today triggered by `setStatus shipped` (ops); the carrier booking and the tracking child
   * workflow belong here too.
   */
  const ship = async (req: ShipRequest) => {
    const p = priced as PricedOrder;
    const authorizationId = st.authorizationId as string;
    // Booked shipments (POST /ship): the label first, so nothing is charged for a parcel the
    // carrier refused. The booking key is fixed per order: a retry (or support's retry after a
    // failure) finds the first label, the carrier never books twice.
    let booked: { carrier: string; service: string; trackingNumber: string; trackingUrl: string | null } | undefined;
    if (req.book) {
      const carrier = req.carrier ?? p.carrier;
      const service = req.service ?? p.service;
      booked = await runStep('ship', async () => {
        const parcels = await steps.planShipmentParcels({ items: input.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) });
        return steps.bookShipment({
          orderId,
          carrier,
          service,
          address: input.shippingAddress,
          parcels,
          bookingKey: `${workflowId}:shipment`,
        });
      });
      st.trackingNumber = booked.trackingNumber;
      req = {
        ...req,
        carrier: booked.carrier,
        service: booked.service,
        trackingNumber: booked.trackingNumber,
        ...(booked.trackingUrl ? { trackingUrl: booked.trackingUrl } : {}),
      };
    }
    if (!st.captureId) {
      const capture = await runStep('ship', () => steps.capturePayment({ orderId, authorizationId, amount: p.total }));
      st.captureId = capture.captureId;
    }
    await runStep('ship', () => steps.commitReservation(orderId));
    await runStep('ship', () =>
      steps.recordOrderStatus({
        orderId,
        eventKey: 'shipped',
        status: 'shipped',
        note: req.note || null,
        captureId: st.captureId ?? undefined,
        shipping: {
          ...(req.carrier ? { carrier: req.carrier } : {}),
          ...(req.service ? { service: req.service } : {}),
          ...(req.trackingNumber ? { trackingNumber: req.trackingNumber } : {}),
          ...(req.trackingUrl ? { trackingUrl: req.trackingUrl } : {}),
        },
      }),
    );
    shipped = true;
    st.status = 'shipped';
    setSearchStatus('shipped');
    sendEmail('shipped');
    if (booked && policy.tracking) await startTracking(booked, policy.tracking);
  };

  /**
   * The tracking child: polls the carrier and takes its webhooks until delivered, then signals
   * `shipmentDelivered` here. Abandoned on close (it outlives nothing: it ends on delivery). A
   * webhook may have started it first (signal-with-start): that run is the one, fine.
   */
  const startTracking = async (
    b: { carrier: string; trackingNumber: string },
    t: NonNullable<OrderWorkflowInput['policy']['tracking']>,
  ) => {
    try {
      await startChild(shipmentTracking, {
        workflowId: shipmentTrackingWorkflowId(b.trackingNumber),
        taskQueue: t.taskQueue,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            orderId,
            carrier: b.carrier,
            trackingNumber: b.trackingNumber,
            orderWorkflowId: workflowId,
            poll: { initialMs: t.pollInitialMs, maxMs: t.pollMaxMs },
          },
        ],
      });
    } catch (err) {
      if ((err as { name?: string })?.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
      log.info('shipment tracking already running (started by a carrier webhook)', { orderId, trackingNumber: b.trackingNumber });
    }
  };

  /** shipped → delivered (ops, or the tracking workflow's `shipmentDelivered` signal). */
  const deliver = async (note?: string) => {
    await runStep('deliver', () => steps.recordOrderStatus({ orderId, eventKey: 'delivered', status: 'delivered', note: note || null }));
    st.status = 'delivered';
    setSearchStatus('delivered');
    sendEmail('delivered');
  };

  const compensate = async (reason: string) => {
    let refunded = false;
    for (const c of compensations.reverse()) {
      const out = (await c.run()) as { refunded?: boolean } | undefined;
      if (out?.refunded) refunded = true;
    }
    compensations.length = 0;
    await books.recordOrderStatus({ orderId, eventKey: 'cancelled', status: 'cancelled', note: reason });
    st.status = 'cancelled';
    setSearchStatus('cancelled');
    sendEmail('cancelled', { reason, refunded });
  };

  const reject = async (r: Rejection) => {
    // A declined card authorized nothing: only the stock goes back.
    for (const c of compensations.reverse()) if (!(r.code === 'payment_declined' && c.name === 'payment')) await c.run();
    compensations.length = 0;
    if (priced) {
      await books.recordOrderStatus({ orderId, eventKey: 'cancelled', status: 'cancelled', note: r.detail, data: { reason: r.code } });
    }
    await books.recordOrderRejection({ orderId, requestHash: input.requestHash, rejection: r });
    st.status = 'cancelled';
    if (priced) setSearchStatus('cancelled');
    placement = { outcome: 'rejected', rejection: r };
  };

  // ---- the run ----

  try {
    await place();
    await condition(() => shipRequest !== undefined || cancelRequest !== undefined);
    if (cancelRequest) throw new OrderCancelled(cancelRequest.reason);
    await ship(shipRequest as ShipRequest);
    await condition(() => deliverRequest !== undefined);
    await deliver(deliverRequest?.note);
  } catch (err) {
    if (err instanceof OrderRejected) await reject(err.rejection);
    else if (err instanceof OrderCancelled) await compensate(err.reason);
    else throw err;
  }
  await Promise.all(emails);
  return { orderId, status: st.status };
}
