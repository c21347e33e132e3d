/**
 * The `sendOrderEmail` local activity (the order workflow's emails other than a confirmation
 * queued in the outbox: shipped, delivered, cancelled, refunded…). It is the same delivery as the
 * outbox's (email-delivery.ts): a committed claim on (order, kind), the send with no transaction
 * open, one statement recording it, the record retried — never the send — while Postgres is away.
 * A second execution of the step while the first still sends (a workflow task re-run on another
 * worker — the chaos suite's Redis scenario caught two workers sending the same confirmation
 * 0.2 s apart) finds the claim taken and fails retryably (`EmailInProgressError`); its retry finds
 * the email recorded.
 */
import { Context } from '@temporalio/activity';
import type { EmailKind } from '../../domain/orders/types';
import type { ActivityDeps } from '../deps';
import { deliverOrderEmail, EmailInProgressError } from './email-delivery';

export { EmailInProgressError, orderMessageId } from './email-delivery';

export function createNotificationActivities(deps: ActivityDeps) {
  return {
    async sendOrderEmail(input: { orderId: string; kind: EmailKind; reason?: string; refunded?: boolean }): Promise<{ sent: boolean }> {
      const { orderId, kind, reason, refunded } = input;
      const details = reason !== undefined || refunded !== undefined ? { reason, refunded } : null;
      const out = await deliverOrderEmail(deps, { orderId, kind, details }, 'activity');
      if (out.state === 'taken') throw new EmailInProgressError(orderId, kind);
      if (out.state === 'already-sent') return { sent: false };
      Context.current().log.info('order email sent', { orderId, kind, attempts: out.attempts });
      return { sent: true };
    },
  };
}
