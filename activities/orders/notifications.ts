/**
 * Order emails, sent once per (order, kind). The send runs inside a transaction that holds a
 * Postgres advisory lock on (order, kind): a second execution of the same step — the workflow task
 * timed out on a loaded worker and another worker replays its local activities while the first
 * is still sending (the chaos suite's Redis scenario caught exactly that: two workers sent the same
 * confirmation 0.2 s apart) — finds the lock taken and retries later, by which time the row says
 * "sent". The row is written in the same transaction, on a connection taken before the send, so
 * a busy pool cannot fail the step after the relay accepted the message (the Meilisearch
 * scenario's duplicate). The one window left is a crash between the relay accepting and the
 * commit; the re-send carries the same deterministic Message-ID, so mail clients show it once.
 */
import { Context } from '@temporalio/activity';
import { sql } from 'kysely';
import { getOrderRecord, orderNotificationSent, recordOrderNotification } from '../../db/queries/orders';
import type { EmailKind } from '../../domain/orders/types';
import { renderOrderEmail } from '../../integrations/mail/templates';
import type { ActivityDeps } from '../deps';

/** Thrown when another execution holds the (order, kind) lock; retryable: it will have sent. */
export class EmailInProgressError extends Error {
  constructor(orderId: string, kind: string) {
    super(`the ${kind} email of ${orderId} is being sent by another execution`);
    this.name = 'EmailInProgressError';
  }
}

export function orderMessageId(orderId: string, kind: EmailKind): string {
  return `<${orderId}.${kind}@orders.cathay.shop>`;
}

/**
 * Renders and sends one order email unless `order_notifications` says it went already, then
 * records it — under the (order, kind) advisory lock described above. Shared by the activity and
 * the email outbox (email-outbox.ts); `EmailInProgressError` when another execution holds the lock.
 */
export async function deliverOrderEmail(
  deps: Pick<ActivityDeps, 'db' | 'mailer'>,
  input: { orderId: string; kind: EmailKind; reason?: string; refunded?: boolean },
): Promise<{ sent: boolean }> {
  return deps.db.transaction().execute(async (trx) => {
    const lock = await sql<{
      ok: boolean;
    }>`SELECT pg_try_advisory_xact_lock(hashtext(${input.orderId}), hashtext(${input.kind})) AS ok`.execute(trx);
    if (!lock.rows[0]?.ok) throw new EmailInProgressError(input.orderId, input.kind);
    if (await orderNotificationSent(trx, input.orderId, input.kind)) return { sent: false };
    const record = await getOrderRecord(trx, input.orderId);
    if (!record) throw new Error(`order ${input.orderId} not found`);
    const { order, lines } = record;
    const address = order.shipping_address as { name?: string };
    const content = renderOrderEmail(input.kind, {
      orderId: order.id,
      customerName: address.name ?? 'customer',
      currency: order.currency.trim(),
      items: lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, lineTotal: l.line_total_amount })),
      subtotal: order.subtotal_amount,
      shipping: order.shipping_amount,
      total: order.total_amount,
      carrier: order.shipping_carrier,
      service: order.shipping_service,
      trackingNumber: order.tracking_number,
      trackingUrl: order.tracking_url,
      reason: input.reason ?? null,
      refunded: input.refunded ?? false,
    });
    const messageId = orderMessageId(order.id, input.kind);
    await deps.mailer.send({
      to: order.email,
      messageId,
      headers: { 'X-Cathay-Order': order.id, 'X-Cathay-Email': input.kind },
      ...content,
    });
    await recordOrderNotification(trx, { orderId: order.id, kind: input.kind, messageId });
    return { sent: true };
  });
}

export function createNotificationActivities(deps: ActivityDeps) {
  return {
    async sendOrderEmail(input: { orderId: string; kind: EmailKind; reason?: string; refunded?: boolean }): Promise<{ sent: boolean }> {
      const out = await deliverOrderEmail(deps, input);
      if (out.sent) Context.current().log.info('order email sent', { orderId: input.orderId, kind: input.kind });
      return out;
    },
  };
}
