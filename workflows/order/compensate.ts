/**
 * The two ways an order ends `cancelled`: a cancellation (by request, the payment window or the
 * failed-hold limit) runs every compensation in reverse and emails; a rejection (out of stock,
 * declined, bad shipping choice) undoes what was done and answers the storefront.
 */
import type { Rejection } from '../../domain/orders/types';
import { storableText } from '../../domain/text';
import { boundedBookkeeping, type OrderRun, sendEmail, setSearchStatus, settle } from './run';

export async function compensate(run: OrderRun, reason: string): Promise<void> {
  const { state } = run;
  let refunded = false;
  const bounded = boundedBookkeeping();
  for (const c of state.compensations.reverse()) {
    const out = (await (bounded ? settle(run, 'cancel', () => c.run()) : c.run())) as { refunded?: boolean } | undefined;
    if (out?.refunded) refunded = true;
  }
  state.compensations.length = 0;
  if (bounded) {
    // The reason is free text (a customer's or an operator's): stored with any unstorable character replaced.
    await settle(run, 'cancel', () =>
      run.acts.steps.recordOrderStatus({
        orderId: run.input.orderId,
        eventKey: 'cancelled',
        status: 'cancelled',
        note: storableText(reason),
        failure: null,
      }),
    );
  } else {
    await run.acts.books.recordOrderStatus({ orderId: run.input.orderId, eventKey: 'cancelled', status: 'cancelled', note: reason });
  }
  state.view.status = 'cancelled';
  setSearchStatus(run, 'cancelled');
  sendEmail(run, 'cancelled', { reason, refunded });
}

export async function reject(run: OrderRun, r: Rejection): Promise<void> {
  const { input, state } = run;
  const { books, steps } = run.acts;
  const bounded = boundedBookkeeping();
  const book = <T>(fn: () => Promise<T>) => (bounded ? settle(run, 'cancel', fn) : fn());
  // A declined card authorized nothing: only the stock goes back.
  for (const c of state.compensations.reverse()) if (!(r.code === 'payment_declined' && c.name === 'payment')) await book(() => c.run());
  state.compensations.length = 0;
  if (state.priced) {
    await book(() =>
      (bounded ? steps : books).recordOrderStatus({
        orderId: input.orderId,
        eventKey: 'cancelled',
        status: 'cancelled',
        note: bounded ? storableText(r.detail) : r.detail,
        data: { reason: r.code },
        ...(bounded ? { failure: null } : {}),
      }),
    );
  }
  await books.recordOrderRejection({ orderId: input.orderId, requestHash: input.requestHash, rejection: r });
  state.view.status = 'cancelled';
  if (state.priced) setSearchStatus(run, 'cancelled');
  state.placement = { outcome: 'rejected', rejection: r };
}
