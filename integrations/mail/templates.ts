/**
 * The order emails: confirmed, shipped, delivered, cancelled — each as plain text and HTML, from
 * one model. Every interpolated value is HTML-escaped in the HTML part.
 */
export type OrderEmailKind = 'confirmed' | 'shipped' | 'delivered' | 'cancelled';

export interface OrderEmailModel {
  orderId: string;
  customerName: string;
  currency: string;
  items: Array<{ sku: string; name: string; quantity: number; lineTotal: number }>;
  subtotal: number;
  shipping: number;
  total: number;
  carrier?: string | null;
  service?: string | null;
  trackingNumber?: string | null;
  trackingUrl?: string | null;
  reason?: string | null;
  refunded?: boolean;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const formatters = new Map<string, Intl.NumberFormat>();

/** Minor units → "$12.34" (formatters are costly to build: one per currency, reused). */
export function formatMoney(amount: number, currency: string): string {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, f);
  }
  return f.format(amount / 100);
}

function headline(kind: OrderEmailKind, m: OrderEmailModel): { subject: string; lead: string } {
  switch (kind) {
    case 'confirmed':
      return {
        subject: `Order ${m.orderId} confirmed`,
        lead: 'Thank you for your order. We have reserved your items and will ship them soon.',
      };
    case 'shipped':
      return {
        subject: `Order ${m.orderId} has shipped`,
        lead: `Your order is on its way${m.carrier ? ` with ${m.carrier}${m.service ? ` (${m.service})` : ''}` : ''}.`,
      };
    case 'delivered':
      return { subject: `Order ${m.orderId} delivered`, lead: 'Your order has been delivered. Enjoy!' };
    case 'cancelled':
      return {
        subject: `Order ${m.orderId} cancelled`,
        lead: `Your order has been cancelled${m.reason ? ` (${m.reason})` : ''}. ${
          m.refunded ? 'Your payment has been refunded.' : 'You have not been charged.'
        }`,
      };
  }
}

export function renderOrderEmail(kind: OrderEmailKind, m: OrderEmailModel): { subject: string; text: string; html: string } {
  const { subject, lead } = headline(kind, m);
  const money = (n: number) => formatMoney(n, m.currency);
  const tracking =
    m.trackingNumber && (kind === 'shipped' || kind === 'delivered')
      ? `Tracking number: ${m.trackingNumber}${m.trackingUrl ? ` (${m.trackingUrl})` : ''}`
      : '';
  const text = [
    `Hello ${m.customerName},`,
    '',
    lead,
    '',
    `Order ${m.orderId}`,
    ...m.items.map((i) => `  ${i.quantity} x ${i.name} (${i.sku})  ${money(i.lineTotal)}`),
    `  Subtotal: ${money(m.subtotal)}`,
    `  Shipping: ${money(m.shipping)}`,
    `  Total:    ${money(m.total)}`,
    ...(tracking ? ['', tracking] : []),
    '',
    'Cathay Shop',
  ].join('\n');
  const rows = m.items
    .map(
      (i) =>
        `<tr><td>${i.quantity} &times; ${escapeHtml(i.name)} <small>(${escapeHtml(i.sku)})</small></td><td align="right">${escapeHtml(money(i.lineTotal))}</td></tr>`,
    )
    .join('');
  const trackingHtml = tracking
    ? `<p>Tracking number: ${
        m.trackingUrl
          ? `<a href="${escapeHtml(m.trackingUrl)}">${escapeHtml(m.trackingNumber ?? '')}</a>`
          : escapeHtml(m.trackingNumber ?? '')
      }</p>`
    : '';
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hello ${escapeHtml(m.customerName)},</p>
<p>${escapeHtml(lead)}</p>
<h2>Order ${escapeHtml(m.orderId)}</h2>
<table cellpadding="4">${rows}
<tr><td>Subtotal</td><td align="right">${escapeHtml(money(m.subtotal))}</td></tr>
<tr><td>Shipping</td><td align="right">${escapeHtml(money(m.shipping))}</td></tr>
<tr><td><strong>Total</strong></td><td align="right"><strong>${escapeHtml(money(m.total))}</strong></td></tr>
</table>${trackingHtml}
<p>Cathay Shop</p>
</body></html>`;
  return { subject, text, html };
}
