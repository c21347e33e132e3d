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
 *
 * Where things are: `messages.ts` (what the API and the tracking workflow send), `state.ts` (what
 * the workflow remembers, and the handlers), `run.ts` (how a step runs and fails), one file per
 * step (`place`, `ship`, `deliver`, `compensate` + `reject`), `failures.ts` (how activity
 * failures are read).
 */
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import type { OrderWorkflowInput, ShipRequest } from '../../domain/orders/types';
import { orderActivities } from './activities';
import { compensate, reject } from './compensate';
import { deliver } from './deliver';
import { OrderCancelled, OrderRejected } from './failures';
import type { OrderResult } from './messages';
import { place } from './place';
import { listenForRefunds } from './refunds';
import type { OrderRun } from './run';
import { ship } from './ship';
import { OrderState } from './state';

export async function order(input: OrderWorkflowInput): Promise<OrderResult> {
  const state = new OrderState(input);
  const run: OrderRun = { input, workflowId: workflowInfo().workflowId, state, acts: orderActivities(input.policy) };
  state.listen();
  // Goodwill refunds while the run is open: only once the payment is captured (at shipment).
  const refundEmails = listenForRefunds(run.input.orderId, run.acts, () =>
    state.view.captureId ? undefined : `The order is ${state.status}: nothing is captured yet (cancel it to release the payment)`,
  );

  try {
    // placed → confirmed (or refused: → cancelled)
    await place(run);
    // confirmed → shipped, once ops ship it (or → cancelled)
    await condition(() => state.shipRequest !== undefined || state.cancelRequest !== undefined);
    state.throwIfCancelRequested();
    await ship(run, state.shipRequest as ShipRequest);
    // shipped → delivered, once ops or the carrier's tracking say so
    await condition(() => state.deliverRequest !== undefined);
    await deliver(run, state.deliverRequest?.note);
  } catch (err) {
    if (err instanceof OrderRejected) await reject(run, err.rejection);
    else if (err instanceof OrderCancelled) await compensate(run, err.reason);
    else throw err;
  }
  await Promise.all(state.emails);
  // A refund Update that arrived just before the end finishes first (no new command when none did).
  await condition(allHandlersFinished);
  await Promise.all(refundEmails);
  return { orderId: input.orderId, status: state.status };
}
