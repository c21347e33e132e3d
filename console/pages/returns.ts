/**
 * Returns: the queue (GET /v1/ops/returns, filtered by status, newest first) and one return's page
 * (GET /v1/ops/returns/{id}) with the actions the contract gives each role: approve, reject and
 * retry for support, receive for ops.
 */
import type { ReturnStatusValue } from '../../domain/db-enums';
import type { ReturnView } from '../../domain/schemas/returns';
import type { ConsoleApi } from '../api-client';
import { age, answer, failureNote, money, time } from '../format';
import { type Html, html } from '../html';
import { canDo } from '../layout';
import type { Session } from '../session';

/**
 * The contract's return statuses, for the filter (the console takes only types from the domain;
 * `Record` over the type makes the compiler refuse a status missing here).
 */
const STATUS_ORDER: Record<ReturnStatusValue, number> = {
  requested: 0,
  approved: 1,
  in_transit: 2,
  received: 3,
  refunded: 4,
  rejected: 5,
  failed: 6,
};
const RETURN_STATUSES = Object.keys(STATUS_ORDER) as ReturnStatusValue[];

export interface ReturnFilter {
  status: ReturnStatusValue | '';
  cursor: string;
}

export function parseReturnFilter(q: Record<string, unknown>): ReturnFilter {
  const status = typeof q.status === 'string' ? q.status.trim() : '';
  return {
    status: (RETURN_STATUSES as readonly string[]).includes(status) ? (status as ReturnStatusValue) : '',
    cursor: typeof q.cursor === 'string' ? q.cursor.slice(0, 200) : '',
  };
}

function filterQuery(f: ReturnFilter, cursor = f.cursor): string {
  const p = new URLSearchParams({ status: f.status || 'all' });
  if (cursor) p.set('cursor', cursor);
  return p.toString();
}

const itemsText = (r: ReturnView) => r.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ');

export async function returnsPage(api: ConsoleApi, f: ReturnFilter): Promise<Html> {
  const p = new URLSearchParams({ limit: '100' });
  if (f.status) p.set('status', f.status);
  if (f.cursor) p.set('cursor', f.cursor);
  const r = await api.get<{ data: ReturnView[]; nextCursor: string | null }>(`/v1/ops/returns?${p}`);
  const rows = r.ok ? r.body.data : [];
  const next = r.ok ? r.body.nextCursor : null;
  const now = Date.now();
  return html`<h1>Returns</h1>
<form class="filters" method="get" action="/console/returns" role="search" aria-label="Filter returns">
  <div class="field">
    <label for="r-status">Status</label>
    <select id="r-status" name="status">
      <option value="all"${f.status === '' ? html` selected` : ''}>all</option>
      ${RETURN_STATUSES.map((s) => html`<option value="${s}"${f.status === s ? html` selected` : ''}>${s}</option>`)}
    </select>
  </div>
  <button type="submit">Filter</button>
</form>
<div id="returns">
  ${r.ok ? '' : answer(false, 'The API refused the list', r.problem)}
  <p class="meta">${rows.length} ${rows.length === 1 ? 'return' : 'returns'}</p>
  ${
    rows.length
      ? html`<table class="cards">
    <caption class="visually-hidden">Returns matching the filter</caption>
    <thead><tr><th scope="col">Return</th><th scope="col">Order</th><th scope="col">Status</th><th scope="col">Items</th><th scope="col">Reason</th><th scope="col">Age</th></tr></thead>
    <tbody>
    ${rows.map(
      (x) => html`<tr data-return="${x.id}">
      <td data-label="Return"><a href="/console/returns/${encodeURIComponent(x.id)}">${x.id}</a></td>
      <td data-label="Order"><a href="/console/orders/${encodeURIComponent(x.orderId)}">${x.orderId}</a></td>
      <td data-label="Status"><span class="badge s-${x.status}">${x.status}</span></td>
      <td data-label="Items">${itemsText(x)}</td>
      <td data-label="Reason">${x.reason}</td>
      <td data-label="Age">${age(x.createdAt, now)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`
      : html`<p class="empty">No returns match.</p>`
  }
  ${
    f.cursor || next
      ? html`<nav class="pager" aria-label="Pages of returns">
    ${f.cursor ? html`<a href="/console/returns?${filterQuery(f, '')}">First page</a>` : ''}
    ${next ? html`<a href="/console/returns?${filterQuery(f, next)}">Next page</a>` : ''}
  </nav>`
      : ''
  }
</div>`;
}

function form(r: ReturnView, session: Session, action: string, inner: Html, cls = 'action'): Html {
  const url = `/console/returns/${encodeURIComponent(r.id)}/${action}`;
  return html`<form class="${cls}" method="post" action="${url}" hx-post="${url}" hx-target="#action-result" hx-swap="innerHTML" hx-sync="closest #return-panel:queue all" hx-disabled-elt="find button">
  <input type="hidden" name="_csrf" value="${session.csrf}">
  ${inner}
</form>`;
}

function actions(r: ReturnView, session: Session): Html {
  const forms: Html[] = [];
  const support = canDo(session, ['support']);
  if (r.status === 'requested' && support) {
    forms.push(
      form(r, session, 'approve', html`<p>Book a return label with the order's carrier.</p><button type="submit">Approve</button>`),
    );
  }
  if ((r.status === 'requested' || r.status === 'approved') && support) {
    forms.push(
      form(
        r,
        session,
        'reject',
        html`<div class="field"><label for="reject-reason">Reason</label><input id="reject-reason" hx-preserve name="reason" required maxlength="500" autocomplete="off"></div>
  <button type="submit">Reject</button>`,
        'action danger',
      ),
    );
  }
  if ((r.status === 'approved' || r.status === 'in_transit') && canDo(session, ['ops'])) {
    // One row per sku and condition; a blank or 0 quantity sends no line.
    const rows = r.items.flatMap((item, i) =>
      (['resellable', 'damaged'] as const).map(
        (c) =>
          html`<div class="field"><label for="rcv-${i}-${c}">${item.sku} ${c} (of ${item.quantity})</label><input id="rcv-${i}-${c}" hx-preserve name="qty:${item.sku}:${c}" type="number" min="0" max="${item.quantity}" value="${c === 'resellable' ? item.quantity : 0}" inputmode="numeric"></div>`,
      ),
    );
    forms.push(form(r, session, 'receive', html`${rows}<button type="submit">Receive</button>`));
  }
  if (r.status === 'failed' && canDo(session, ['support', 'ops'])) {
    forms.push(form(r, session, 'retry', html`<p>Resume the return at the step that failed.</p><button type="submit">Retry</button>`));
  }
  return forms.length
    ? html`<div class="actions">${forms}</div>`
    : html`<p class="meta">No action is open to your role for a ${r.status} return.</p>`;
}

export function returnPanel(r: ReturnView, session: Session): Html {
  const id = encodeURIComponent(r.id);
  return html`<div id="return-panel" hx-get="/console/returns/${id}/panel" hx-trigger="return-changed from:body" hx-swap="outerHTML" hx-sync="this:queue last">
<p class="status-line">Status: <strong class="badge s-${r.status}" id="return-status" data-status="${r.status}">${r.status}</strong>
  · order <a href="/console/orders/${encodeURIComponent(r.orderId)}">${r.orderId}</a> · requested ${time(r.createdAt)}</p>
${failureNote(r.failure)}
<div class="grid">
<section aria-labelledby="h-actions">
  <h2 id="h-actions">Actions</h2>
  ${actions(r, session)}
</section>
<section aria-labelledby="h-items">
  <h2 id="h-items">Items</h2>
  <p>Reason: ${r.reason}</p>
  <table class="cards">
    <thead><tr><th scope="col">SKU</th><th scope="col">Quantity</th><th scope="col">Received</th><th scope="col">Resellable</th><th scope="col">Damaged</th></tr></thead>
    <tbody>${r.items.map(
      (l) =>
        html`<tr><td data-label="SKU">${l.sku}</td><td data-label="Quantity" class="num">${l.quantity}</td><td data-label="Received" class="num">${l.received ?? '—'}</td><td data-label="Resellable" class="num">${l.resellable ?? '—'}</td><td data-label="Damaged" class="num">${l.damaged ?? '—'}</td></tr>`,
    )}</tbody>
  </table>
</section>
<section aria-labelledby="h-label">
  <h2 id="h-label">Label and refund</h2>
  <dl class="kv">
    <dt>Carrier</dt><dd>${r.label?.carrier ?? '—'}</dd>
    <dt>Tracking</dt><dd>${r.label?.trackingNumber ?? '—'}</dd>
    <dt>Label</dt><dd>${r.label?.labelUrl ? html`<a href="${r.label.labelUrl}" rel="noopener noreferrer">label</a>` : '—'}</dd>
    <dt>Refund</dt><dd id="return-refund">${r.refund ? html`${money(r.refund.amount)} (${r.refund.status}${r.refund.refundedAt ? html`, ${time(r.refund.refundedAt)}` : ''})` : '—'}</dd>
  </dl>
</section>
<section aria-labelledby="h-timeline">
  <h2 id="h-timeline">Timeline</h2>
  <ol class="timeline">
  ${r.timeline.map((t) => html`<li>${time(t.at)} <span class="badge s-${t.status}">${t.status}</span>${t.note ? html` <span class="note">${t.note}</span>` : ''}</li>`)}
  </ol>
</section>
</div>
</div>`;
}

export function returnPage(r: ReturnView, session: Session): Html {
  return html`<h1>Return ${r.id}</h1>
<p class="meta"><a href="/console/returns">Back to returns</a></p>
<div id="action-result" role="status" aria-live="polite"></div>
${returnPanel(r, session)}`;
}

export function returnNotFound(id: string): Html {
  return html`<h1>Return ${id}</h1>${answer(false, 'No such return')}<p><a href="/console/returns">Back to returns</a></p>`;
}

/** The receive form's `qty:<sku>:<condition>` fields as the API's items (0 or blank: no line). */
export function receiveItems(body: Record<string, unknown>): {
  items: Array<{ sku: string; quantity: number; condition: 'resellable' | 'damaged' }>;
  bad: string[];
} {
  const items: Array<{ sku: string; quantity: number; condition: 'resellable' | 'damaged' }> = [];
  const bad: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const m = /^qty:(.+):(resellable|damaged)$/.exec(k);
    if (!m || typeof v !== 'string' || v.trim() === '') continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) bad.push(`${m[1]} ${m[2]}: ${v}`);
    else if (n > 0) items.push({ sku: m[1] as string, quantity: n, condition: m[2] as 'resellable' | 'damaged' });
  }
  return { items, bad };
}
