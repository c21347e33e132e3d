/** Failed orders: the landing page. A filter form, and a table that refreshes itself every 10 s. */
import type { OrderStatus } from '../../domain/orders/status';
import type { OrderSummary, OrderView } from '../../domain/schemas/orders';
import type { ConsoleApi } from '../api-client';
import { age, answer, money } from '../format';
import { type Html, html } from '../html';

export const STATUSES: readonly OrderStatus[] = ['failed', 'placed', 'confirmed', 'shipped', 'delivered', 'cancelled'];
const REFRESH_SECONDS = 10;

export interface OrderFilter {
  status: OrderStatus | '';
  customerId: string;
  orderId: string;
  /** The API's opaque cursor for the next page (absent: the first page). */
  cursor: string;
}

export function parseFilter(q: Record<string, unknown>): OrderFilter {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 100) : '');
  const status = str(q.status);
  return {
    // The landing page shows failed orders; "all" is an explicit choice.
    status: q.status === undefined ? 'failed' : (STATUSES as readonly string[]).includes(status) ? (status as OrderStatus) : '',
    customerId: str(q.customer),
    orderId: str(q.order),
    cursor: typeof q.cursor === 'string' ? q.cursor.slice(0, 200) : '',
  };
}

function filterQuery(f: OrderFilter, cursor = f.cursor): string {
  const p = new URLSearchParams({ status: f.status || 'all' });
  if (f.customerId) p.set('customer', f.customerId);
  if (f.orderId) p.set('order', f.orderId);
  if (cursor) p.set('cursor', cursor);
  return p.toString();
}

type Row = OrderSummary & { failure?: OrderView['failure'] };

async function load(api: ConsoleApi, f: OrderFilter): Promise<{ rows: Row[]; next?: string | null; error?: Html }> {
  if (f.orderId) {
    const r = await api.get<OrderView>(`/v1/orders/${encodeURIComponent(f.orderId)}`);
    if (!r.ok) return r.status === 404 ? { rows: [] } : { rows: [], error: answer(false, 'The API refused the lookup', r.problem) };
    const o = r.body;
    if ((f.status && o.status !== f.status) || (f.customerId && o.customerId !== f.customerId)) return { rows: [] };
    const itemCount = o.items.reduce((n, i) => n + i.quantity, 0);
    return { rows: [{ ...o, total: o.totals.total, itemCount }] };
  }
  const p = new URLSearchParams({ limit: '100' });
  if (f.status) p.set('status', f.status);
  if (f.customerId) p.set('customerId', f.customerId);
  if (f.cursor) p.set('cursor', f.cursor);
  const r = await api.get<{ data: Row[]; nextCursor: string | null }>(`/v1/ops/orders?${p}`);
  if (!r.ok) return { rows: [], error: answer(false, 'The API refused the list', r.problem) };
  return { rows: r.body.data, next: r.body.nextCursor };
}

export async function ordersTable(api: ConsoleApi, f: OrderFilter): Promise<Html> {
  const { rows, next, error } = await load(api, f);
  const now = Date.now();
  return html`<div id="orders" hx-get="/console/orders-table?${filterQuery(f)}" hx-trigger="every ${REFRESH_SECONDS}s" hx-swap="outerHTML">
  ${error ?? ''}
  <p class="meta">${rows.length} ${rows.length === 1 ? 'order' : 'orders'} · refreshed <time datetime="${new Date(now).toISOString()}">${new Date(now).toISOString().slice(11, 19)}</time> UTC, every ${REFRESH_SECONDS} s</p>
  ${
    rows.length
      ? html`<table class="cards">
    <caption class="visually-hidden">Orders matching the filter</caption>
    <thead><tr><th scope="col">Order</th><th scope="col">Status</th><th scope="col">Code</th><th scope="col">Message</th><th scope="col">Step</th><th scope="col">Retryable</th><th scope="col">Age</th><th scope="col">Customer</th><th scope="col">Total</th></tr></thead>
    <tbody>
    ${rows.map(
      (o) => html`<tr data-order="${o.id}">
      <td data-label="Order"><a href="/console/orders/${encodeURIComponent(o.id)}">${o.id}</a></td>
      <td data-label="Status"><span class="badge s-${o.status}">${o.status}</span></td>
      <td data-label="Code">${o.failure ? html`<code>${o.failure.code}</code>` : '—'}</td>
      <td data-label="Message">${o.failure?.message ?? '—'}</td>
      <td data-label="Step">${o.failure?.step ?? '—'}</td>
      <td data-label="Retryable">${o.failure ? (o.failure.retryable ? 'yes' : 'no') : '—'}</td>
      <td data-label="Age">${age(o.createdAt, now)}</td>
      <td data-label="Customer">${o.customerId}</td>
      <td data-label="Total" class="num">${money(o.total)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`
      : html`<p class="empty">No orders match.</p>`
  }
  ${
    f.cursor || next
      ? html`<nav class="pager" aria-label="Pages of orders">
    ${f.cursor ? html`<a href="/console?${filterQuery(f, '')}">First page</a>` : ''}
    ${next ? html`<a href="/console?${filterQuery(f, next)}">Next page</a>` : ''}
  </nav>`
      : ''
  }
</div>`;
}

export async function ordersPage(api: ConsoleApi, f: OrderFilter): Promise<Html> {
  return html`<h1>Failed orders</h1>
<form class="filters" method="get" action="/console" role="search" aria-label="Filter orders">
  <!-- a new filter starts at the first page: no cursor field -->
  <div class="field">
    <label for="f-status">Status</label>
    <select id="f-status" name="status">
      <option value="all"${f.status === '' ? html` selected` : ''}>all</option>
      ${STATUSES.map((s) => html`<option value="${s}"${f.status === s ? html` selected` : ''}>${s}</option>`)}
    </select>
  </div>
  <div class="field">
    <label for="f-customer">Customer</label>
    <input id="f-customer" name="customer" value="${f.customerId}" autocomplete="off">
  </div>
  <div class="field">
    <label for="f-order">Order id</label>
    <input id="f-order" name="order" value="${f.orderId}" autocomplete="off">
  </div>
  <button type="submit">Filter</button>
</form>
${await ordersTable(api, f)}`;
}
