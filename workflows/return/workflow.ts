/**
 * The return workflow (`return-{returnId}`, task queue `orders`): open the return → support
 * approves (label booked with the order's carrier) or rejects → the parcel is followed (carrier
 * webhooks as signals, polls on growing durable sleeps) → its first scan is `in_transit` → ops
 * receive it (resellable units back on hand) → the refund of the capture → `refunded`.
 *
 * Durable rules: an approved return whose parcel never moves is closed after
 * `policy.labelValidMs` (`rejected`, note `label_expired`); a refund that runs out of retries
 * parks the return `failed` until support's `retry` Update. As in the order workflow, every step
 * is a local activity (one marker each), so each transition is one workflow task.
 */
import { ApplicationFailure, condition, log, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type {
  ReturnEmailKind,
  ReturnPolicy,
  ReturnRefusal,
  ReturnRequestResult,
  ReturnStatus,
  ReturnStep,
  ReturnWorkflowInput,
} from '../../domain/returns/types';
import type { Failure } from '../../domain/schemas/orders';
import { TRACKING_STATUSES, type TrackingStatus, trackingRank } from '../../domain/shipping/tracking';
import { ReturnStatusAttr } from '../../temporal/search-attributes';
import {
  approveReturnUpdate,
  type ReturnParcelEvent,
  receiveReturnUpdate,
  rejectReturnUpdate,
  requestReturnUpdate,
  retryReturnUpdate,
  returnParcelSignal,
  returnStateQuery,
} from './messages';
import { ReturnState } from './state';

export interface ReturnResult {
  returnId: string;
  status: ReturnStatus;
}

const REFUSALS = new Set(['return_not_allowed', 'order_not_found', 'invalid_request']);

function refusalOf(err: unknown): ReturnRefusal | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApplicationFailure && e.type && REFUSALS.has(e.type)) {
      return { code: e.type as ReturnRefusal['code'], detail: e.message };
    }
  }
  return undefined;
}

function failureOf(step: ReturnStep, err: unknown): Failure {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  let code = `${step}_failed`;
  let retryable = true;
  let message = err instanceof Error ? err.message : String(err);
  if (cause instanceof ApplicationFailure) {
    if (cause.type === 'PaymentUnavailableError') code = 'payment_provider_unavailable';
    else if (cause.type === 'payment_rejected' || cause.type === 'refund_exceeds_captured') code = cause.type;
    retryable = !cause.nonRetryable;
    message = cause.message;
  } else if (cause instanceof Error) {
    message = cause.message;
  }
  return { code, message: message.slice(0, 500), step, retryable };
}

const retryPolicy = (p: ReturnPolicy, unlimited = false) => ({
  initialInterval: p.step.initialIntervalMs,
  maximumInterval: p.step.maximumIntervalMs,
  backoffCoefficient: 2,
  ...(unlimited ? {} : { maximumAttempts: p.step.maximumAttempts }),
});

export async function orderReturn(input: ReturnWorkflowInput): Promise<ReturnResult> {
  const { returnId, orderId, policy } = input;
  const st = new ReturnState(input);

  /** Steps that park the return `failed` when they run out of retries (label, refund). */
  const steps = proxyLocalActivities<Activities>({
    startToCloseTimeout: '15 seconds',
    localRetryThreshold: '10 seconds',
    retry: retryPolicy(policy),
  });
  /** Bookkeeping in Postgres: retried until it succeeds (nothing to show support otherwise). */
  const books = proxyLocalActivities<Activities>({
    startToCloseTimeout: '15 seconds',
    localRetryThreshold: '10 seconds',
    retry: retryPolicy(policy, true),
  });
  /** Emails: first attempt inline, retries on durable timers, for an hour (see the order workflow). */
  const mail = proxyLocalActivities<Activities>({
    startToCloseTimeout: '10 seconds',
    scheduleToCloseTimeout: '1 hour',
    localRetryThreshold: '1 second',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  /** A tracking poll: a few quick tries; a failed poll just waits for the next interval. */
  const probe = proxyLocalActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3, nonRetryableErrorTypes: ['rejected'] },
  });
  const emails: Promise<unknown>[] = [];

  // ---- handlers ----

  setHandler(returnStateQuery, () => st.view());
  setHandler(
    requestReturnUpdate,
    async (): Promise<ReturnRequestResult> => {
      await condition(() => st.result !== undefined);
      return st.result ?? { outcome: 'accepted', status: st.status };
    },
    { validator: ({ requestHash }) => st.checkRequest(requestHash) },
  );
  setHandler(
    approveReturnUpdate,
    async (_req) => {
      st.decision = { approve: true };
      await condition(() => st.status !== 'requested');
      return { status: st.status };
    },
    { validator: (_req) => st.checkApprove() },
  );
  setHandler(
    rejectReturnUpdate,
    async ({ reason }) => {
      st.decision = { approve: false, reason };
      await condition(() => st.status === 'rejected');
      return { status: st.status };
    },
    { validator: (_req) => st.checkReject() },
  );
  setHandler(
    receiveReturnUpdate,
    async ({ items }) => {
      st.received = items;
      await condition(() => st.status === 'received' || st.status === 'refunded' || st.status === 'failed');
      return { status: st.status };
    },
    { validator: ({ items }) => st.checkReceive(items) },
  );
  setHandler(
    retryReturnUpdate,
    (_req) => {
      st.retryRequested = true;
      return { status: st.status };
    },
    { validator: (_req) => st.checkRetry() },
  );
  setHandler(returnParcelSignal, (e) => {
    st.pending.push(e);
  });

  // ---- helpers ----

  const setStatus = async (status: ReturnStatus, change: Omit<Parameters<Activities['recordReturnStatus']>[0], 'returnId' | 'status'>) => {
    await books.recordReturnStatus({ returnId, status, ...change });
    st.status = status;
    upsertSearchAttributes([{ key: ReturnStatusAttr, value: status }]);
  };

  const sendEmail = (kind: ReturnEmailKind, extra: { reason?: string; amount?: number } = {}) => {
    emails.push(
      mail.sendReturnEmail({ orderId, returnId, kind, ...extra }).catch((err) => {
        log.warn('return email not sent', { returnId, kind, error: String(err) });
      }),
    );
  };

  /** Runs a step; when it runs out of retries the return is `failed` until support retries it. */
  const runStep = async <T>(step: ReturnStep, fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        const resume = st.status;
        st.failures += 1;
        st.failedStep = step;
        st.failure = failureOf(step, err);
        await setStatus('failed', { eventKey: `failed:${st.failures}`, note: st.failure.message, failure: st.failure });
        log.warn('return step failed; waiting for support to retry', { returnId, step, code: st.failure.code });
        await condition(() => st.retryRequested);
        st.retryRequested = false;
        st.failure = null;
        st.failedStep = null;
        await setStatus(resume, { eventKey: `retry:${st.failures}`, note: `resumed at ${step} by support`, failure: null });
      }
    }
  };

  /** Records the parcel's news (forward only); the first scan moves the return to `in_transit`. */
  const applyParcel = async (e: { status: TrackingStatus; at: string }) => {
    if (!st.advances(e.status) || !st.label) return false;
    st.parcel = e.status;
    if (st.status === 'approved' && trackingRank(e.status) >= trackingRank('in_transit')) {
      await setStatus('in_transit', {
        eventKey: 'in_transit',
        note: `${st.label.carrier}: return parcel scanned`,
        parcelStatus: e.status,
      });
    }
    if (e.status !== 'in_transit' || st.status !== 'in_transit') {
      await books.recordReturnParcel({ returnId, carrier: st.label.carrier, status: e.status, at: e.at });
    }
    return true;
  };

  /**
   * Follows the return parcel until ops receive it: webhook events as they come, a carrier poll
   * after each quiet interval (doubling up to the maximum, reset by news), no polls once it is
   * delivered to the warehouse. Before the first scan, the label's validity bounds the wait.
   */
  const rejectedMeanwhile = () => st.decision !== undefined && !st.decision.approve;
  const followParcel = async (): Promise<'received' | 'expired' | 'rejected'> => {
    const expiresAt = Date.now() + policy.labelValidMs;
    let interval = policy.poll.initialMs;
    const wake = () => st.pending.length > 0 || st.received !== undefined || rejectedMeanwhile();
    for (;;) {
      if (st.received) return 'received';
      if (rejectedMeanwhile()) return 'rejected';
      const delivered = st.parcel === 'delivered' || st.parcel === 'returned';
      const waitingFirstScan = !st.parcelMoved() && st.status === 'approved';
      const left = waitingFirstScan ? expiresAt - Date.now() : Number.POSITIVE_INFINITY;
      if (left <= 0) return 'expired';
      const timeout = delivered ? left : Math.min(interval, left);
      // Delivered to the warehouse and scanned: nothing to poll, only ops' receipt to wait for.
      let woke = true;
      if (Number.isFinite(timeout)) woke = await condition(wake, timeout);
      else await condition(wake);
      if (st.received) return 'received';
      if (rejectedMeanwhile()) return 'rejected';
      let news = false;
      if (woke) {
        while (st.pending.length) news = (await applyParcel(st.pending.shift() as ReturnParcelEvent)) || news;
      } else if (!delivered && st.label) {
        try {
          const info = await probe.pollReturnParcel({ carrier: st.label.carrier, trackingNumber: st.label.trackingNumber });
          const seen = [...info.events, { status: info.status, at: info.events.at(-1)?.at ?? new Date().toISOString() }]
            .filter((e) => (TRACKING_STATUSES as readonly string[]).includes(e.status))
            .sort((a, b) => trackingRank(a.status) - trackingRank(b.status));
          for (const e of seen) news = (await applyParcel(e)) || news;
        } catch (err) {
          log.warn('return parcel poll failed; trying again at the next interval', { returnId, error: String(err) });
        }
      }
      interval = news ? policy.poll.initialMs : Math.min(interval * 2, policy.poll.maxMs);
    }
  };

  const reject = async (reason: string, note: string) => {
    await setStatus('rejected', { eventKey: 'rejected', note });
    sendEmail('return_rejected', { reason });
  };

  // ---- the run ----

  try {
    await books.openReturn({
      returnId,
      orderId,
      customerId: input.customerId,
      workflowId: `return-${returnId}`,
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      items: input.items,
      reason: input.reason,
      windowMs: policy.windowMs,
    });
  } catch (err) {
    const refusal = refusalOf(err);
    if (!refusal) throw err;
    await books.recordReturnRefusal({ returnId, requestHash: input.requestHash, refusal });
    st.refuse(refusal);
    return { returnId, status: 'rejected' };
  }
  st.result = { outcome: 'accepted', status: 'requested' };

  await condition(() => st.decision !== undefined);
  if (st.decision && !st.decision.approve) {
    await reject(st.decision.reason, st.decision.reason);
  } else {
    st.label = await runStep('label', () => steps.bookReturnLabel({ returnId }));
    st.parcel = 'label_created';
    await setStatus('approved', { eventKey: 'approved', note: `return label ${st.label.trackingNumber}`, label: st.label });
    sendEmail('return_approved');

    // Support may still reject an approved return whose parcel has not moved.
    const outcome = await followParcel();
    if (outcome === 'rejected') {
      const d = st.decision as { approve: boolean; reason?: string } | undefined;
      const reason = d?.reason ?? 'rejected by support';
      await reject(reason, reason);
    } else if (outcome === 'expired') {
      await reject(`the return label was not used within ${Math.round(policy.labelValidMs / 86_400_000)} days`, 'label_expired');
    } else {
      // A receipt Postgres keeps refusing parks the return `failed` too (no endless retries).
      await runStep('receive', () => steps.receiveReturn({ returnId, items: st.received ?? [] }));
      st.status = 'received';
      upsertSearchAttributes([{ key: ReturnStatusAttr, value: 'received' }]);
      const refund = await runStep('refund', () => steps.refundReturn({ returnId }));
      st.refundAmount = refund.amount;
      if (refund.refunded) {
        // refundReturn wrote `refunded` with the provider's answer (one transaction).
        st.status = 'refunded';
        upsertSearchAttributes([{ key: ReturnStatusAttr, value: 'refunded' }]);
        sendEmail('return_refunded', { amount: refund.amount });
      } else {
        await setStatus('refunded', { eventKey: 'refunded', note: 'nothing to refund' });
      }
    }
  }
  await Promise.all(emails);
  return { returnId, status: st.status };
}
