/**
 * The order page: items, totals, payment, shipment, the timeline (live: console.js follows the
 * order's event stream and asks for this panel again on every event) and the actions the contract
 * allows the signed-in role.
 */
import type { OrderView } from '../../domain/schemas/orders';
import type { AuditEntry } from '../audit';
import { answer, failureNote, money, time } from '../format';
import { type Html, html } from '../html';
import { canDo } from '../layout';
import { randomToken, type Session } from '../session';

export interface OrderLinks {
  temporalUiUrl: string;
  namespace: string;
}

/**
 * The payment's state as the order's history implies it (the Order resource has no payment
 * field): authorized once confirmed, captured at shipment, voided when cancelled before that.
 */
export function paymentState(o: OrderView): string {
  const seen = new Set(o.timeline.map((t) => t.status));
  if (seen.has('shipped')) return seen.has('cancelled') ? 'refunded' : 'captured';
  if (o.status === 'cancelled') return seen.has('confirmed') ? 'voided' : 'never authorized (voided if any)';
  if (seen.has('confirmed')) return 'authorized';
  if (o.status === 'failed' && o.failure?.step) return `not authorized (failed at ${o.failure.step})`;
  return 'pending';
}

export function temporalLink(links: OrderLinks, orderId: string): string {
  return `${links.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(links.namespace)}/workflows/${encodeURIComponent(`order-${orderId}`)}`;
}

const CANCELLABLE = new Set(['placed', 'confirmed', 'failed']);
/** A goodwill refund needs a captured payment: the order has shipped. */
const REFUNDABLE = new Set(['shipped', 'delivered']);

function actions(o: OrderView, session: Session): Html {
  const id = encodeURIComponent(o.id);
  const forms: Html[] = [];
  if (o.status === 'failed' && canDo(session, ['support', 'ops'])) {
    forms.push(html`<form class="action" method="post" action="/console/orders/${id}/retry" hx-post="/console/orders/${id}/retry" hx-target="#action-result" hx-swap="innerHTML" hx-sync="closest #order-panel:queue all" hx-disabled-elt="find button">
  <input type="hidden" name="_csrf" value="${session.csrf}">
  <p>Resume the order at the step that failed.</p>
  <button type="submit">Retry</button>
</form>`);
  }
  if (o.status === 'confirmed' && canDo(session, ['ops'])) {
    forms.push(html`<form class="action" method="post" action="/console/orders/${id}/ship" hx-post="/console/orders/${id}/ship" hx-target="#action-result" hx-swap="innerHTML" hx-sync="closest #order-panel:queue all" hx-disabled-elt="find button">
  <input type="hidden" name="_csrf" value="${session.csrf}">
  <div class="field"><label for="ship-carrier">Carrier</label><input id="ship-carrier" hx-preserve name="carrier" value="${o.shipping.carrier ?? ''}" autocomplete="off"></div>
  <div class="field"><label for="ship-service">Service</label><input id="ship-service" hx-preserve name="service" value="${o.shipping.service ?? ''}" autocomplete="off"></div>
  <button type="submit">Ship</button>
</form>`);
  }
  if (CANCELLABLE.has(o.status) && canDo(session, ['support', 'ops'])) {
    forms.push(html`<form class="action danger" method="post" action="/console/orders/${id}/cancel" hx-post="/console/orders/${id}/cancel" hx-target="#action-result" hx-swap="innerHTML" hx-sync="closest #order-panel:queue all" hx-disabled-elt="find button">
  <input type="hidden" name="_csrf" value="${session.csrf}">
  <div class="field"><label for="cancel-reason">Reason</label><input id="cancel-reason" hx-preserve name="reason" required maxlength="400" autocomplete="off"></div>
  <div class="check"><input type="checkbox" id="cancel-confirm" hx-preserve name="confirm" value="yes" required><label for="cancel-confirm">Yes, cancel this order: stock is released and the payment voided or refunded</label></div>
  <button type="submit">Cancel order</button>
</form>`);
  }
  if (REFUNDABLE.has(o.status) && canDo(session, ['support'])) {
    // A fresh Idempotency-Key per render: a double submit of this form refunds once.
    forms.push(html`<form class="action" method="post" action="/console/orders/${id}/refund" hx-post="/console/orders/${id}/refund" hx-target="#action-result" hx-swap="innerHTML" hx-sync="closest #order-panel:queue all" hx-disabled-elt="find button">
  <input type="hidden" name="_csrf" value="${session.csrf}">
  <input type="hidden" name="idempotencyKey" value="${randomToken()}">
  <input type="hidden" name="currency" value="${o.totals.total.currency}">
  <div class="field"><label for="refund-amount">Amount (${o.totals.total.currency}, e.g. 5.00)</label><input id="refund-amount" hx-preserve name="amount" required inputmode="decimal" pattern="[0-9]+([.][0-9]{1,2})?" autocomplete="off"></div>
  <div class="field"><label for="refund-reason">Refund reason</label><input id="refund-reason" hx-preserve name="reason" required maxlength="400" autocomplete="off"></div>
  <button type="submit">Refund</button>
</form>`);
  }
  return forms.length
    ? html`<div class="actions">${forms}</div>`
    : html`<p class="meta">No action is open to your role for a ${o.status} order.</p>`;
}

type TimelineItem = { at: string; status?: string; note?: string; audit?: AuditEntry };

function timeline(o: OrderView, audit: AuditEntry[]): Html {
  const items: TimelineItem[] = [
    ...o.timeline.map((t) => ({ at: t.at, status: t.status, ...(t.note ? { note: t.note } : {}) })),
    ...audit.map((a) => ({ at: a.at, audit: a })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return html`<ol class="timeline">
  ${items.map((i) =>
    i.audit
      ? html`<li class="audit ${i.audit.ok ? '' : 'refused'}">${time(i.at)} <strong>${i.audit.action}</strong> by ${i.audit.by} — ${i.audit.outcome}${i.audit.detail ? html` <span class="note">(${i.audit.detail})</span>` : ''}</li>`
      : html`<li>${time(i.at)} <span class="badge s-${i.status ?? ''}">${i.status}</span>${i.note ? html` <span class="note">${i.note}</span>` : ''}</li>`,
  )}
</ol>`;
}

/**
 * The panel refreshes itself on every order event. An action's form lives inside it, so requests
 * are synchronised on the panel (hx-sync): a refresh waits for a running action, whose answer
 * would otherwise be dropped with the form the refresh replaced. What an agent is typing survives
 * a refresh: the fields are `hx-preserve`d (kept while the new panel still has them), and an
 * accepted action clears its form (console.js), so a refund's amount is not left for a second click.
 */
export function orderPanel(o: OrderView, audit: AuditEntry[], session: Session): Html {
  const id = encodeURIComponent(o.id);
  return html`<div id="order-panel" hx-get="/console/orders/${id}/panel" hx-trigger="order-changed from:body" hx-swap="outerHTML" hx-sync="this:queue last">
<p class="status-line">Status: <strong class="badge s-${o.status}" id="order-status" data-status="${o.status}">${o.status}</strong>
  · customer ${o.customerId} · ${o.email} · placed ${time(o.createdAt)}</p>
${failureNote(o.failure)}
<div class="grid">
<section aria-labelledby="h-actions">
  <h2 id="h-actions">Actions</h2>
  ${actions(o, session)}
</section>
<section aria-labelledby="h-items">
  <h2 id="h-items">Items</h2>
  <table class="cards">
    <thead><tr><th scope="col">SKU</th><th scope="col">Name</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Line total</th></tr></thead>
    <tbody>${o.items.map(
      (l) =>
        html`<tr><td data-label="SKU">${l.sku}</td><td data-label="Name">${l.name}</td><td data-label="Quantity" class="num">${l.quantity}</td><td data-label="Unit price" class="num">${money(l.unitPrice)}</td><td data-label="Line total" class="num">${money(l.lineTotal)}</td></tr>`,
    )}</tbody>
  </table>
  <dl class="totals">
    <dt>Subtotal</dt><dd>${money(o.totals.subtotal)}</dd>
    <dt>Shipping</dt><dd>${money(o.totals.shipping)}</dd>
    <dt>Total</dt><dd><strong>${money(o.totals.total)}</strong></dd>
  </dl>
</section>
<section aria-labelledby="h-payment">
  <h2 id="h-payment">Payment and shipment</h2>
  <dl class="kv">
    <dt>Payment</dt><dd id="payment-state">${paymentState(o)}</dd>
    <dt>Carrier</dt><dd>${o.shipping.carrier ?? '—'} ${o.shipping.service ?? ''}</dd>
    <dt>Tracking</dt><dd>${
      o.shipping.trackingNumber
        ? o.shipping.trackingUrl
          ? html`<a href="${o.shipping.trackingUrl}" rel="noopener noreferrer">${o.shipping.trackingNumber}</a>`
          : o.shipping.trackingNumber
        : '—'
    }${o.shipping.trackingStatus ? html` (${o.shipping.trackingStatus})` : ''}</dd>
    ${o.refunded?.amount ? html`<dt>Refunded</dt><dd id="refunded-total">${money(o.refunded)}</dd>` : ''}
    ${o.shippingAddress ? html`<dt>Ship to</dt><dd>${o.shippingAddress.name}, ${o.shippingAddress.city} ${o.shippingAddress.postalCode}, ${o.shippingAddress.country}</dd>` : ''}
  </dl>
</section>
${
  o.refunds?.length
    ? html`<section aria-labelledby="h-refunds">
  <h2 id="h-refunds">Refunds</h2>
  <table class="cards">
    <thead><tr><th scope="col">Refund</th><th scope="col">Kind</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">When</th></tr></thead>
    <tbody>${o.refunds.map(
      (f) =>
        html`<tr><td data-label="Refund">${f.id}</td><td data-label="Kind">${f.returnId ? html`<a href="/console/returns/${encodeURIComponent(f.returnId)}">${f.kind}</a>` : f.kind}</td><td data-label="Amount" class="num">${money(f.amount)}</td><td data-label="Status">${f.status}</td><td data-label="Reason">${f.reason ?? '—'}</td><td data-label="When">${time(f.refundedAt ?? f.createdAt)}</td></tr>`,
    )}</tbody>
  </table>
</section>`
    : ''
}
<section aria-labelledby="h-timeline">
  <h2 id="h-timeline">Timeline</h2>
  ${timeline(o, audit)}
</section>
</div>
</div>`;
}

export function orderPage(o: OrderView, audit: AuditEntry[], session: Session, links: OrderLinks): Html {
  const id = encodeURIComponent(o.id);
  return html`<h1>Order ${o.id}</h1>
<p class="meta"><a href="${temporalLink(links, o.id)}" rel="noopener noreferrer">Open in Temporal Web UI</a>
 · <span id="live-state" data-events="/console/orders/${id}/events" role="status">Live updates: connecting…</span></p>
<div id="action-result" role="status" aria-live="polite"></div>
${orderPanel(o, audit, session)}`;
}

export function orderNotFound(orderId: string): Html {
  return html`<h1>Order ${orderId}</h1>${answer(false, 'No such order')}<p><a href="/console">Back to failed orders</a></p>`;
}
