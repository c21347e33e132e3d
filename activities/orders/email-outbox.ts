/**
 * Sending the emails queued in the order email outbox (db/queries/order-email-outbox.ts).
 *
 * The status change that calls for an email queues it in its own transaction; the activity that
 * made the change then makes the first attempt from the same process right after the commit,
 * without waiting for it (`sendSoon`): the order workflow — and the storefront waiting on its
 * Update — never waits for SMTP, and the workflow needs no local activity, marker or workflow
 * task for the email. Whatever the first attempt did not finish (it failed, or the process died
 * between the commit and the record) is sent by the sweeper (`sendDue`, run by every worker
 * polling the orders queue) once the row's lease or backoff ends; several sweepers never take the
 * same row. The sweeper also finishes what a dead local-activity sender left (its claim is a row
 * of the same table).
 *
 * Each attempt is `deliverOrderEmail` (email-delivery.ts): a committed claim, the send, one
 * statement recording it, the record (never the send) retried while Postgres is away. Retried
 * with backoff (2 s doubling to 5 min) for an hour, as the local activity is, then given up.
 */

import { dueOrderEmails } from '../../db/queries/order-email-outbox';
import type { NotificationKind } from '../../domain/orders/types';
import type { Logger } from '../../observability/logger';
import type { ActivityDeps } from '../deps';
import { deliverOrderEmail } from './email-delivery';

const SWEEP_BATCH = 50;

export interface OrderEmailOutbox {
  /** The first attempt for a row just committed; never throws (a failure leaves the row to the sweeper). */
  sendSoon(orderId: string, kind: NotificationKind): void;
  /** Attempts up to `limit` due rows; resolves with how many were due. */
  sendDue(limit?: number): Promise<number>;
  /** Resolves when every first attempt started so far has finished (shutdown, tests). */
  idle(): Promise<void>;
}

export function createOrderEmailOutbox(deps: Pick<ActivityDeps, 'db' | 'mailer' | 'logger'>): OrderEmailOutbox {
  const inFlight = new Set<Promise<void>>();

  const attempt = async (orderId: string, kind: NotificationKind, mode: 'first' | 'due'): Promise<void> => {
    try {
      const out = await deliverOrderEmail(deps, { orderId, kind }, mode);
      if (out.state === 'sent') deps.logger.info({ orderId, kind, attempts: out.attempts }, 'order email sent');
    } catch (err) {
      // The claim was released with a backoff (or the row given up): the sweeper retries it.
      deps.logger.warn({ err, orderId, kind, mode }, 'order email not sent; retried later');
    }
  };

  return {
    sendSoon(orderId, kind) {
      const p = attempt(orderId, kind, 'first').finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async sendDue(limit = SWEEP_BATCH) {
      const due = await dueOrderEmails(deps.db, limit);
      await Promise.all(due.map((e) => attempt(e.orderId, e.kind, 'due')));
      return due.length;
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

/** The sweeper loop: `sendDue` every `intervalMs` (and at once again while rows keep coming). */
export function startOrderEmailSweeper(outbox: OrderEmailOutbox, logger: Logger, intervalMs = 5_000): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        while (!stopped && (await outbox.sendDue(SWEEP_BATCH)) === SWEEP_BATCH) {
          // a full batch: there may be more (a smaller one was everything due)
        }
      } catch (err) {
        logger.warn({ err }, 'order email sweep failed; next sweep retries');
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    })();
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await outbox.idle();
    },
  };
}
