/**
 * What every step of one order run shares, and how a step runs: retried by its activity policy,
 * then — when that is exhausted — the order is `failed` and waits for support (retry or cancel).
 */
import { condition, isCancellation, log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { OrderStatus } from '../../domain/orders/status';
import type { EmailKind, OrderStep, OrderWorkflowInput } from '../../domain/orders/types';
import { OrderStatusAttr, OrderTotalAttr } from '../../temporal/search-attributes';
import type { OrderActivities } from './activities';
import { failedStepOf, failureOf, OrderCancelled, OrderRejected, rejectionOf } from './failures';
import type { OrderState } from './state';

export interface OrderRun {
  readonly input: OrderWorkflowInput;
  readonly workflowId: string;
  readonly state: OrderState;
  readonly acts: OrderActivities;
}

/** Keeps the Temporal Web UI's `OrderStatus` / `OrderTotal` filters in step with the order. */
export function setSearchStatus({ state }: OrderRun, status: OrderStatus): void {
  upsertSearchAttributes([
    { key: OrderStatusAttr, value: status },
    ...(state.view.total !== null ? [{ key: OrderTotalAttr, value: state.view.total }] : []),
  ]);
}

/** Starts the email and goes on: the workflow awaits every email only before it completes. */
export function sendEmail(run: OrderRun, kind: EmailKind, extra: { reason?: string; refunded?: boolean } = {}): void {
  const orderId = run.input.orderId;
  const p = run.acts.mail.sendOrderEmail({ orderId, kind, ...extra }).catch((err) => {
    log.warn('order email not sent', { orderId, kind, error: String(err) });
  });
  run.state.emails.push(p);
}

/** Since this patch the `retry:n` timeline note names who asked (role and note), not always "support". */
const PATCH_RETRY_NOTE_NAMES_REQUESTER = 'retry-note-names-requester';

function retryNote(step: OrderStep, req: { by?: string; note?: string } | undefined): string {
  return `resumed at ${step} by ${req?.by ?? 'support'}${req?.note ? ` (${req.note})` : ''}`;
}

/**
 * Sets `failed`, then waits for support: returns to retry the step, or throws OrderCancelled. The
 * failed step is the one the failure names when its activity runs several (`secureOrder`).
 */
async function failAndWait(run: OrderRun, stepRun: OrderStep, err: unknown): Promise<void> {
  const step = failedStepOf(err) ?? stepRun;
  const { input, state, acts } = run;
  const { orderId, policy } = input;
  const resumeStatus = state.status;
  state.failures += 1;
  state.failedStep = step;
  const failure = failureOf(step, err);
  state.view.status = 'failed';
  state.view.failure = failure;
  await acts.books.recordOrderStatus({ orderId, eventKey: `failed:${state.failures}`, status: 'failed', note: failure.message, failure });
  setSearchStatus(run, 'failed');
  log.warn('order step failed; waiting for retry or cancel', { orderId, step, code: failure.code });
  const resumed = await condition(() => state.retryRequested || state.cancelRequest !== undefined, policy.failedHoldMs);
  if (!resumed) state.cancelRequest = { reason: 'failed order was not resumed within the hold limit', by: 'system' };
  state.throwIfCancelRequested();
  state.retryRequested = false;
  const requester = state.retryRequest;
  state.retryRequest = undefined;
  state.failedStep = null;
  state.view.status = resumeStatus;
  state.view.failure = null;
  await acts.books.recordOrderStatus({
    orderId,
    eventKey: `retry:${state.failures}`,
    status: resumeStatus,
    note: patched(PATCH_RETRY_NOTE_NAMES_REQUESTER) ? retryNote(step, requester) : `resumed at ${step} by support`,
    failure: null,
  });
  setSearchStatus(run, resumeStatus);
}

/**
 * Workflow versioning: compensations and the cancel record run with the order's bounded step
 * policy, and an order whose compensation cannot complete parks as `failed` (step `cancel`) for
 * support instead of failing the workflow or retrying forever; a failure to write the order row
 * that no retry can fix is a refusal. Orders started earlier replay without it.
 */
export const PATCH_BOUNDED_BOOKKEEPING = 'bounded-bookkeeping';

export function boundedBookkeeping(): boolean {
  return patched(PATCH_BOUNDED_BOOKKEEPING);
}

/**
 * Runs a compensation (or the record that ends one) under the bounded step policy. When it fails
 * — out of attempts, or refused for good — the order parks as `failed` with the failure, visible
 * to support; `POST /v1/ops/orders/{id}/retry` runs it again. Nothing is retried meanwhile.
 */
export async function settle<T>(run: OrderRun, step: OrderStep, fn: () => Promise<T>): Promise<T> {
  const { input, state, acts } = run;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (isCancellation(err)) throw err;
      state.failures += 1;
      state.failedStep = step;
      state.parked = true;
      const failure = failureOf(step, err);
      state.view.status = 'failed';
      state.view.failure = failure;
      await acts.books.recordOrderStatus({
        orderId: input.orderId,
        eventKey: `failed:${state.failures}`,
        status: 'failed',
        note: failure.message,
        failure,
      });
      setSearchStatus(run, 'failed');
      log.warn('order compensation failed; parked for support', { orderId: input.orderId, step, code: failure.code });
      await condition(() => state.retryRequested);
      state.retryRequested = false;
      state.parked = false;
      state.failedStep = null;
      state.view.failure = null;
    }
  }
}

/** A refusal from a bookkeeping call (pricing) becomes a rejection; anything else propagates. */
export async function rejectable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const rejection = rejectionOf(err);
    if (rejection) throw new OrderRejected(rejection);
    throw err;
  }
}

/** Runs a step; when it exhausts its retries the order fails and waits, then the step runs again. */
export async function runStep<T>(run: OrderRun, step: OrderStep, fn: () => Promise<T>): Promise<T> {
  const { state } = run;
  for (;;) {
    state.throwIfCancelRequested();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof OrderCancelled || err instanceof OrderRejected) throw err;
      const rejection = rejectionOf(err);
      if (rejection) throw new OrderRejected(rejection);
      // (set by the cancel handler while fn ran)
      const cancel = state.cancelRequest;
      if (cancel && isCancellation(err)) throw new OrderCancelled(cancel.reason);
      await failAndWait(run, step, err);
    }
  }
}
