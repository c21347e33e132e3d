/** placed → confirmed: price and write the order, reserve the stock, authorize the payment. */
import { CancellationScope, isCancellation, patched, sleep } from '@temporalio/workflow';
import type { Shortfall } from '../../domain/inventory';
import type { PricedOrder } from '../../domain/orders/types';
import { OrderCancelled, OrderRejected, unrecordableOf } from './failures';
import { boundedBookkeeping, type OrderRun, rejectable, runStep, sendEmail, setSearchStatus } from './run';

/**
 * Workflow versioning (replay of orders started by older code, test/orders/replay.test.ts):
 * shipping is priced inside `openPricedOrder` (one local activity instead of `priceShipping` +
 * `openOrder`: one workflow activation fewer per order).
 */
const PATCH_OPEN_PRICED_ORDER = 'open-priced-order';
/**
 * The confirmation email leaves through the order email outbox (activities/orders/email-outbox.ts):
 * the `confirmed` status change queues it in its own transaction and the worker sends it right
 * after, so the workflow task — and with it the storefront's Update answer — no longer waits for
 * SMTP, and the order costs one local activity (marker, activation) less. Exactly once, retried,
 * and nothing lost on a crash between the confirm and the send, as before (the row is committed
 * with the status). Orders started before it replay their email marker.
 */
const PATCH_CONFIRMED_EMAIL_OUTBOX = 'confirmed-email-outbox';
/**
 * Reserve, authorize and confirm run as one local activity (`secureOrder`) instead of three: two
 * workflow activations and two markers fewer per order — the plumbing that cost an order most of
 * its worker CPU (docs/scaling.md). Failures still park the order at the step that failed.
 */
const PATCH_SECURE_ORDER = 'secure-order';

export async function place(run: OrderRun): Promise<void> {
  const { input, workflowId, state } = run;
  const { books } = run.acts;
  const { orderId } = input;
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
  let priced: PricedOrder;
  if (patched(PATCH_OPEN_PRICED_ORDER)) {
    try {
      priced = await rejectable(() => books.openPricedOrder({ ...row, shippingChoice: input.shipping }));
    } catch (err) {
      // e.g. pg 22P05 for a NUL in the address: the row can never be written; say so instead of failing the workflow.
      const unrecordable = !(err instanceof OrderRejected) && boundedBookkeeping() ? unrecordableOf(err) : undefined;
      if (unrecordable) throw new OrderRejected(unrecordable);
      throw err;
    }
  } else {
    // Orders started before the patch replay their two markers.
    const shipping = await rejectable(() =>
      books.priceShipping({ shipping: input.shipping, destination: input.shippingAddress, items: input.items }),
    );
    priced = await rejectable(() => books.openOrder({ ...row, shipping }));
  }
  state.priced = priced;
  state.view.total = priced.total;
  const emailInWorkflow = patched(PATCH_SECURE_ORDER) ? await secure(run, priced) : await reserveAuthorizeConfirm(run, priced);
  state.view.status = 'confirmed';
  setSearchStatus(run, 'confirmed');
  state.placement = { outcome: 'accepted', status: 'confirmed' };
  if (emailInWorkflow) sendEmail(run, 'confirmed');
}

/**
 * reserve → authorize → confirm in one local activity (activities/orders/secure.ts), within the
 * payment window; the confirmation email leaves through the outbox. Returns false: no email
 * for the workflow to send.
 */
async function secure(run: OrderRun, priced: PricedOrder): Promise<false> {
  const { input, state } = run;
  const { orderId } = input;
  const holdUntil = new Date(Date.now() + input.policy.paymentWindowMs).toISOString();
  // Registered before the call: a failure can come after the stock was held or the card authorized.
  // Both are safe when nothing was done (release of no reservation is a no-op; the void finds the
  // authorization by its idempotency key).
  const undo = registerCompensations(run, priced);
  const out = await withinPaymentWindow(run, () =>
    run.acts.steps.secureOrder({
      orderId,
      lines: reserveLines(input),
      holdUntil,
      amount: priced.total,
      currency: priced.currency,
      token: input.paymentToken,
    }),
  );
  if (out.outcome === 'out_of_stock') {
    undo(); // nothing was held or authorized
    throw outOfStock(out.shortfalls);
  }
  state.view.authorizationId = out.authorizationId;
  return false;
}

/**
 * The three steps as three local activities: orders started before `secure-order` replay this.
 * Returns whether the workflow sends the confirmation email itself (orders from before the outbox).
 */
async function reserveAuthorizeConfirm(run: OrderRun, priced: PricedOrder): Promise<boolean> {
  const { input, state } = run;
  const { steps } = run.acts;
  const { orderId, policy } = input;
  const holdUntil = new Date(Date.now() + policy.paymentWindowMs).toISOString();
  const reservation = await runStep(run, 'reserve', () => steps.reserveStock({ orderId, lines: reserveLines(input), holdUntil }));
  if (!reservation.ok) throw outOfStock(reservation.shortfalls);
  registerCompensations(run, priced);
  const auth = await withinPaymentWindow(run, () =>
    steps.authorizePayment({ orderId, amount: priced.total, currency: priced.currency, token: input.paymentToken }),
  );
  state.view.authorizationId = auth.authorizationId;

  const emailViaOutbox = patched(PATCH_CONFIRMED_EMAIL_OUTBOX);
  await runStep(run, 'confirm', () =>
    steps.recordOrderStatus({
      orderId,
      eventKey: 'confirmed',
      status: 'confirmed',
      authorizationId: auth.authorizationId,
      ...(emailViaOutbox ? { email: { kind: 'confirmed' as const } } : {}),
    }),
  );
  return !emailViaOutbox;
}

const reserveLines = (input: OrderRun['input']) => input.items.map((i) => ({ sku: i.sku, quantity: i.quantity }));

function outOfStock(shortfalls: Shortfall[]): OrderRejected {
  return new OrderRejected({
    code: 'out_of_stock',
    detail: 'Not enough stock for some items',
    errors: shortfalls.map((s) => ({
      path: `items[${s.index}]`,
      message: `only ${s.available} available`,
      sku: s.sku,
      requested: s.requested,
      available: s.available,
    })),
  });
}

/** The stock and payment compensations (run in reverse on cancellation); returns a function that drops them again. */
function registerCompensations(run: OrderRun, priced: PricedOrder): () => void {
  const { input, state } = run;
  const { orderId } = input;
  // With bounded bookkeeping, the order's step policy (attempts bounded; `settle` parks the order).
  const undo = () => (boundedBookkeeping() ? run.acts.steps : run.acts.books);
  const before = state.compensations.length;
  state.compensations.push({ name: 'stock', run: () => undo().releaseReservation({ orderId, reason: 'order cancelled' }) });
  state.compensations.push({
    name: 'payment',
    run: async () => {
      if (state.view.captureId) {
        await undo().refundPayment({ orderId, captureId: state.view.captureId, amount: priced.total });
        return { refunded: true };
      }
      await undo().voidPayment({
        orderId,
        amount: priced.total,
        currency: priced.currency,
        token: input.paymentToken,
        ...(state.view.authorizationId ? { authorizationId: state.view.authorizationId } : {}),
      });
      return { refunded: false };
    },
  });
  return () => {
    state.compensations.length = before;
  };
}

/**
 * A step that ends in the authorization (`authorizePayment`, or `secureOrder` which includes it),
 * cut short by the payment window (stock is released) or by a cancellation. A failure parks the
 * order at `authorize`, or at the step the failure names (`secureOrder`'s reserve or confirm).
 */
function withinPaymentWindow<T>(run: OrderRun, call: () => Promise<T>): Promise<T> {
  const { input, state } = run;
  return runStep(run, 'authorize', async () => {
    const scope = new CancellationScope();
    const windowScope = new CancellationScope();
    let expired = false;
    state.interruptible = scope;
    void windowScope
      .run(() => sleep(input.policy.paymentWindowMs))
      .then(
        () => {
          expired = true;
          scope.cancel();
        },
        () => undefined,
      );
    try {
      return await scope.run(call);
    } catch (err) {
      if (expired && isCancellation(err)) throw new OrderCancelled('the payment was not authorized within the payment window');
      throw err;
    } finally {
      state.interruptible = undefined;
      windowScope.cancel();
    }
  });
}
