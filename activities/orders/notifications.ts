/**
 * Order emails. Idempotent per (order, kind): the activity checks `order_notifications` before
 * sending and records the email after. The only window for a duplicate is a crash between the
 * SMTP server accepting the message and the row being committed (milliseconds); the re-sent
 * message carries the same deterministic Message-ID, so mail clients show it once. Recording the
 * sent email is retried in place: once the relay has the message, a failed insert (a pool busy
 * under load, a blip of Postgres) must not fail the activity, whose retry would send it again —
 * the chaos suite saw exactly that under load.
 */
import { Context } from '@temporalio/activity';
import { getOrderRecord, orderNotificationSent, recordOrderNotification } from '../../db/queries/orders';
import type { EmailKind } from '../../domain/orders/types';
import { renderOrderEmail } from '../../integrations/mail/templates';
import type { ActivityDeps } from '../deps';

export function orderMessageId(orderId: string, kind: EmailKind): string {
  return `<${orderId}.${kind}@orders.cathay.shop>`;
}

const RECORD_BACKOFF_MS = [200, 500, 1_000, 2_000];

/** Runs the insert until it succeeds, with short waits; the last error is thrown. */
async function recordSent(insert: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await insert();
      return;
    } catch (err) {
      const wait = RECORD_BACKOFF_MS[attempt];
      if (wait === undefined) throw err;
      Context.current().log.warn('order email sent but not recorded yet; retrying the record', { attempt, error: String(err) });
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

export function createNotificationActivities(deps: ActivityDeps) {
  return {
    async sendOrderEmail(input: { orderId: string; kind: EmailKind; reason?: string; refunded?: boolean }): Promise<{ sent: boolean }> {
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
      await recordSent(() => recordOrderNotification(deps.db, { orderId: order.id, kind: input.kind, messageId }));
      Context.current().log.info('order email sent', { orderId: order.id, kind: input.kind });
      return { sent: true };
    },
  };
}
