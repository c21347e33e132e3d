/**
 * What every step of one order run shares, and how a step runs: retried by its activity policy,
 * then — when that is exhausted — the order is `failed` and waits for support (retry or cancel).
 */
import { condition, isCancellation, log, upsertSearchAttributes } from '@temporalio/workflow';
import type { OrderStatus } from '../../domain/orders/status';
import type { EmailKind, OrderStep, OrderWorkflowInput } from '../../domain/orders/types';
import { OrderStatusAttr, OrderTotalAttr } from '../../temporal/search-attributes';
import type { OrderActivities } from './activities';
import { failureOf, OrderCancelled, OrderRejected, rejectionOf } from './failures';
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

/** Sets `failed`, then waits for support: returns to retry the step, or throws OrderCancelled. */
async function failAndWait(run: OrderRun, step: OrderStep, err: unknown): Promise<void> {
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
  state.failedStep = null;
  state.view.status = resumeStatus;
  state.view.failure = null;
  await acts.books.recordOrderStatus({
    orderId,
    eventKey: `retry:${state.failures}`,
    status: resumeStatus,
    note: `resumed at ${step} by support`,
    failure: null,
  });
  setSearchStatus(run, resumeStatus);
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
