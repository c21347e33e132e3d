/**
 * Order emails. Idempotent per (order, kind): the activity checks `order_notifications` before
 * sending and records the email after. The only window for a duplicate is a crash between the
 * SMTP server accepting the message and the row being committed (milliseconds); the re-sent
 * message carries the same deterministic Message-ID, so mail clients show it once.
 */
import { Context } from '@temporalio/activity';
import { getOrderRecord, orderNotificationSent, recordOrderNotification } from '../../db/queries/orders';
import type { EmailKind } from '../../domain/orders/types';
import { renderOrderEmail } from '../../integrations/mail/templates';
import type { ActivityDeps } from '../deps';

export function orderMessageId(orderId: string, kind: EmailKind): string {
  return `<${orderId}.${kind}@orders.cathay.shop>`;
}

/**
 * Renders and sends one order email unless `order_notifications` says it went already, then
 * records it. Shared by the activity and the email outbox (email-outbox.ts).
 */
export async function deliverOrderEmail(
  deps: Pick<ActivityDeps, 'db' | 'mailer'>,
  input: { orderId: string; kind: EmailKind; reason?: string; refunded?: boolean },
): Promise<{ sent: boolean }> {
  if (await orderNotificationSent(deps.db, input.orderId, input.kind)) return { sent: false };
  const record = await getOrderRecord(deps.db, input.orderId);
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
  await recordOrderNotification(deps.db, { orderId: order.id, kind: input.kind, messageId });
  return { sent: true };
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
