/**
 * Sending the emails queued in the order email outbox (db/queries/order-email-outbox.ts).
 *
 * The status change that calls for an email queues it in its own transaction; the activity that
 * made the change then makes the first attempt from the same process right after the commit,
 * without waiting for it (`sendSoon`): the order workflow — and the storefront waiting on its
 * Update — never waits for SMTP, and the workflow needs no local activity, marker or workflow
 * task for the email. Whatever the first attempt did not finish (it failed, or the process died
 * between the commit and the send) is sent by the sweeper (`sendDue`, run by every worker polling
 * the orders queue) once the row's lease or backoff ends; several sweepers never take the same row.
 *
 * Exactly once as before: `deliverOrderEmail` checks `order_notifications` before sending and
 * records after; the deterministic Message-ID covers a crash between the two. Retried with backoff
 * (2 s doubling to 5 min) for an hour, as the local activity was, then given up with an error log.
 */

import {
  claimDueEmails,
  claimFirstAttempt,
  deferQueuedEmail,
  type QueuedEmail,
  removeQueuedEmail,
} from '../../db/queries/order-email-outbox';
import type { EmailKind } from '../../domain/orders/types';
import type { Logger } from '../../observability/logger';
import type { ActivityDeps } from '../deps';
import { deliverOrderEmail } from './notifications';

/** A sweeper's lease on a row it is sending. */
const SEND_LEASE_MS = 60_000;
const GIVE_UP_AFTER_MS = 3_600_000;
const backoffMs = (attempts: number) => Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));

export interface OrderEmailOutbox {
  /** The first attempt for a row just committed; never throws (a failure leaves the row to the sweeper). */
  sendSoon(orderId: string, kind: EmailKind): void;
  /** Sends up to `limit` due rows; resolves with how many were taken. */
  sendDue(limit?: number): Promise<number>;
  /** Resolves when every first attempt started so far has finished (shutdown, tests). */
  idle(): Promise<void>;
}

export function createOrderEmailOutbox(deps: Pick<ActivityDeps, 'db' | 'mailer'> & { logger: Logger }): OrderEmailOutbox {
  const inFlight = new Set<Promise<void>>();

  const attempt = async (e: QueuedEmail): Promise<void> => {
    try {
      const out = await deliverOrderEmail(deps, { orderId: e.orderId, kind: e.kind, ...(e.details ?? {}) });
      await removeQueuedEmail(deps.db, e.orderId, e.kind);
      if (out.sent) deps.logger.info({ orderId: e.orderId, kind: e.kind, attempts: e.attempts }, 'order email sent');
    } catch (err) {
      if (Date.now() - e.createdAt.getTime() > GIVE_UP_AFTER_MS) {
        deps.logger.error({ err, orderId: e.orderId, kind: e.kind, attempts: e.attempts }, 'order email given up after an hour of retries');
        await removeQueuedEmail(deps.db, e.orderId, e.kind).catch(() => undefined);
        return;
      }
      deps.logger.warn({ err, orderId: e.orderId, kind: e.kind, attempts: e.attempts }, 'order email not sent; retried later');
      await deferQueuedEmail(deps.db, e.orderId, e.kind, backoffMs(e.attempts), String(err)).catch((deferErr) => {
        // The lease ends anyway: the row is retried then.
        deps.logger.warn({ err: deferErr, orderId: e.orderId }, 'could not defer a queued order email');
      });
    }
  };

  return {
    sendSoon(orderId, kind) {
      const p = claimFirstAttempt(deps.db, orderId, kind, SEND_LEASE_MS)
        .then((e) => (e ? attempt(e) : undefined))
        .catch((err) => deps.logger.warn({ err, orderId, kind }, 'first email attempt failed; the sweeper retries it'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async sendDue(limit = 50) {
      const due = await claimDueEmails(deps.db, limit, SEND_LEASE_MS);
      await Promise.all(due.map(attempt));
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
        while (!stopped && (await outbox.sendDue()) > 0) {
          // a full batch: there may be more
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
