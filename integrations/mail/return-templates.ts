/**
 * Return emails: approved (with the label link), rejected (with the reason), refunded (with the
 * amount) — plain text and HTML from one model, every value HTML-escaped.
 */

import type { ReturnEmailKind } from '../../domain/returns/types';
import { formatMoney } from './templates';

export type { ReturnEmailKind };

export interface ReturnEmailModel {
  orderId: string;
  returnId: string | null;
  customerName: string;
  currency: string;
  items: Array<{ sku: string; quantity: number }>;
  labelUrl?: string | null;
  trackingNumber?: string | null;
  carrier?: string | null;
  reason?: string | null;
  amount?: number | null;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function content(kind: ReturnEmailKind, m: ReturnEmailModel): { subject: string; lines: string[] } {
  const amount = m.amount != null ? formatMoney(m.amount, m.currency) : '';
  switch (kind) {
    case 'return_approved':
      return {
        subject: `Your return for order ${m.orderId} is approved`,
        lines: [
          'Your return is approved. Print the prepaid label and drop the parcel off with the carrier:',
          `Label: ${m.labelUrl ?? '(attached by support)'}`,
          ...(m.trackingNumber ? [`Tracking number: ${m.trackingNumber}${m.carrier ? ` (${m.carrier})` : ''}`] : []),
        ],
      };
    case 'return_rejected':
      return {
        subject: `Your return for order ${m.orderId} was not accepted`,
        lines: [`We could not accept your return${m.reason ? `: ${m.reason}` : '.'}`],
      };
    case 'return_refunded':
      return {
        subject: `Refund of ${amount} for order ${m.orderId}`,
        lines: [`We received your return and refunded ${amount} to your original payment method.`],
      };
    case 'goodwill_refunded':
      return {
        subject: `Refund of ${amount} for order ${m.orderId}`,
        lines: [`We refunded ${amount} to your original payment method${m.reason ? ` (${m.reason})` : ''}.`],
      };
  }
}

export function renderReturnEmail(kind: ReturnEmailKind, m: ReturnEmailModel): { subject: string; text: string; html: string } {
  const { subject, lines } = content(kind, m);
  const items = m.items.map((i) => `  ${i.quantity} x ${i.sku}`);
  const text = [
    `Hello ${m.customerName},`,
    '',
    ...lines,
    '',
    ...(m.returnId ? [`Return ${m.returnId} (order ${m.orderId})`, ...items, ''] : []),
    'Cathay Shop',
  ].join('\n');
  const link = m.labelUrl && kind === 'return_approved' ? `<p><a href="${escapeHtml(m.labelUrl)}">Print your return label</a></p>` : '';
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hello ${escapeHtml(m.customerName)},</p>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}${link}
${m.returnId ? `<p>Return ${escapeHtml(m.returnId)} (order ${escapeHtml(m.orderId)})</p><ul>${m.items.map((i) => `<li>${i.quantity} &times; ${escapeHtml(i.sku)}</li>`).join('')}</ul>` : ''}
<p>Cathay Shop</p>
</body></html>`;
  return { subject, text, html };
}
