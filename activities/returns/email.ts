/**
 * What a return email says: the content `deliverOrderEmail` (activities/orders/email-delivery.ts)
 * sends for a claimed `return_*:{returnId}` or `goodwill_refunded:{refundId}` row. The row's
 * details carry the return (or refund) it is about and the amount or reason the workflow passed;
 * the rest is read from the return at send time.
 */
import type { ClaimedEmail } from '../../db/queries/order-email-outbox';
import { getReturnRecord } from '../../db/queries/returns';
import type { NotificationKind } from '../../domain/orders/types';
import type { ReturnEmailKind } from '../../domain/returns/types';
import { renderReturnEmail } from '../../integrations/mail/return-templates';
import type { ActivityDeps } from '../deps';

const RETURN_EMAIL_KINDS: ReadonlySet<string> = new Set<ReturnEmailKind>([
  'return_approved',
  'return_rejected',
  'return_refunded',
  'goodwill_refunded',
]);

/** The outbox key of a return email: one per (kind, return) or, for goodwill, per refund. */
export function returnEmailKey(kind: ReturnEmailKind, ref: string | null): NotificationKind {
  return `${kind}:${ref ?? 'order'}`;
}

/** The return email kind of an outbox key, or undefined for an order email. */
export function returnEmailKindOf(key: NotificationKind): ReturnEmailKind | undefined {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  return colon > 0 && RETURN_EMAIL_KINDS.has(kind) ? (kind as ReturnEmailKind) : undefined;
}

export function returnMessageId(orderId: string, kind: string, ref: string | null): string {
  return `<${orderId}.${kind}${ref ? `.${ref}` : ''}@orders.cathay.shop>`;
}

/** The message of a claimed return email; throws if its order is gone. */
export async function renderClaimedReturnEmail(db: ActivityDeps['db'], kind: ReturnEmailKind, email: ClaimedEmail) {
  const { order, orderId } = email;
  if (!order) throw new Error(`order ${orderId} not found`);
  const details = email.details ?? {};
  const returnId = details.returnId ?? null;
  const ret = returnId ? await getReturnRecord(db, returnId) : undefined;
  const address = order.shippingAddress as { name?: string };
  const content = renderReturnEmail(kind, {
    orderId,
    returnId,
    customerName: address.name ?? 'customer',
    currency: order.currency,
    items: ret?.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) ?? [],
    labelUrl: ret?.ret.label_url ?? null,
    trackingNumber: ret?.ret.label_tracking_number ?? null,
    carrier: ret?.ret.label_carrier ?? null,
    reason: details.reason ?? ret?.ret.note ?? null,
    amount: details.amount ?? ret?.refund?.amount ?? null,
  });
  return {
    messageId: returnMessageId(orderId, kind, returnId ?? details.refundId ?? null),
    ...content,
    to: order.email,
    headers: {
      'X-Cathay-Order': orderId,
      'X-Cathay-Email': kind,
      ...(returnId ? { 'X-Cathay-Return': returnId } : {}),
    },
  };
}
