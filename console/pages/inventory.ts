/** Inventory (ops): look up a sku, its levels per location, held reservations, adjust on hand, bulk sync jobs. */
import type { InventoryView, Job } from '../../domain/schemas/inventory';
import type { AuditEntry } from '../audit';
import { time } from '../format';
import { type Html, html } from '../html';
import type { Session } from '../session';

export function lookupForm(sku: string): Html {
  return html`<form class="filters" method="get" action="/console/inventory" role="search" aria-label="Look up a SKU">
  <div class="field"><label for="sku">SKU</label><input id="sku" name="sku" value="${sku}" required maxlength="100" autocomplete="off"></div>
  <button type="submit">Look up</button>
</form>`;
}

export function inventoryView(v: InventoryView, audit: AuditEntry[], session: Session): Html {
  const sku = encodeURIComponent(v.sku);
  return html`<div id="inventory-view">
<h2>${v.sku}</h2>
<dl class="kv totals-inline">
  <dt>On hand</dt><dd id="inv-on-hand">${v.onHand}</dd>
  <dt>Reserved</dt><dd id="inv-reserved">${v.reserved}</dd>
  <dt>Available</dt><dd id="inv-available">${v.available}</dd>
</dl>
<div class="grid">
<section aria-labelledby="h-levels">
  <h3 id="h-levels">Levels per location</h3>
  ${
    v.locations.length
      ? html`<table class="cards"><thead><tr><th scope="col">Location</th><th scope="col">On hand</th><th scope="col">Reserved</th><th scope="col">Available</th></tr></thead>
  <tbody>${v.locations.map(
    (l) =>
      html`<tr data-location="${l.locationId}"><td data-label="Location">${l.locationId}</td><td data-label="On hand" class="num">${l.onHand}</td><td data-label="Reserved" class="num">${l.reserved}</td><td data-label="Available" class="num">${l.available}</td></tr>`,
  )}</tbody></table>`
      : html`<p class="empty">Not stocked anywhere yet.</p>`
  }
</section>
<section aria-labelledby="h-adjust">
  <h3 id="h-adjust">Adjust on hand</h3>
  <form class="action" method="post" action="/console/inventory/${sku}/adjust" hx-post="/console/inventory/${sku}/adjust" hx-target="#action-result" hx-swap="innerHTML" hx-disabled-elt="find button">
    <input type="hidden" name="_csrf" value="${session.csrf}">
    ${
      v.locations.length > 1
        ? html`<div class="field"><label for="adj-location">Location</label><select id="adj-location" name="locationId">${v.locations.map((l) => html`<option value="${l.locationId}">${l.locationId}</option>`)}</select></div>`
        : v.locations[0]
          ? html`<input type="hidden" name="locationId" value="${v.locations[0].locationId}">`
          : ''
    }
    <div class="field"><label for="adj-on-hand">New on hand</label><input id="adj-on-hand" name="onHand" type="number" min="0" step="1" required inputmode="numeric"></div>
    <div class="field"><label for="adj-reason">Reason</label><input id="adj-reason" name="reason" required maxlength="300" autocomplete="off"></div>
    <button type="submit">Adjust</button>
  </form>
</section>
<section aria-labelledby="h-holds">
  <h3 id="h-holds">Held reservations (${v.reservationCount})</h3>
  ${
    v.reservations.length
      ? html`<table class="cards"><thead><tr><th scope="col">Order</th><th scope="col">Location</th><th scope="col">Quantity</th><th scope="col">Status</th><th scope="col">Expires</th></tr></thead>
  <tbody>${v.reservations.map(
    (r) =>
      html`<tr><td data-label="Order"><a href="/console/orders/${encodeURIComponent(r.orderId)}">${r.orderId}</a></td><td data-label="Location">${r.locationId}</td><td data-label="Quantity" class="num">${r.quantity}</td><td data-label="Status">${r.status}</td><td data-label="Expires">${time(r.expiresAt)}</td></tr>`,
  )}</tbody></table>`
      : html`<p class="empty">No held reservations.</p>`
  }
</section>
<section aria-labelledby="h-adjustments">
  <h3 id="h-adjustments">Adjustments from the console</h3>
  ${
    audit.length
      ? html`<ul class="plain">${audit.map((a) => html`<li>${time(a.at)} ${a.action} by ${a.by} — ${a.outcome}${a.detail ? html` <span class="note">(${a.detail})</span>` : ''}</li>`)}</ul>`
      : html`<p class="empty">None yet.</p>`
  }
</section>
</div>
</div>`;
}

export function jobPanel(job: Job): Html {
  const pct = job.total ? Math.floor((job.processed / job.total) * 100) : 100;
  const running = job.status === 'running';
  return html`<div class="job" id="job-${job.jobId}" ${running ? html`hx-get="/console/inventory/jobs/${encodeURIComponent(job.jobId)}" hx-trigger="every 1s" hx-swap="outerHTML"` : ''}>
  <p><code>${job.jobId}</code> · <strong>${job.status}</strong> · started ${time(job.startedAt)}${job.finishedAt ? html` · finished ${time(job.finishedAt)}` : ''}</p>
  <progress max="${job.total}" value="${job.processed}" aria-label="Sync job ${job.jobId} progress">${pct}%</progress>
  <p class="meta">${job.processed} of ${job.total} rows (${pct}%) · applied ${job.applied} · unchanged ${job.unchanged} · rejected ${job.rejectedCount}</p>
  ${
    job.rejected.length
      ? html`<details><summary>Rejected rows</summary><ul class="plain">${job.rejected.slice(0, 50).map((r) => html`<li>row ${r.index}: ${r.sku} — ${r.reason}</li>`)}</ul></details>`
      : ''
  }
</div>`;
}

export function syncSection(session: Session, jobs: Html[]): Html {
  return html`<section aria-labelledby="h-sync" class="sync">
  <h2 id="h-sync">Bulk stock sync</h2>
  <form class="action" method="post" action="/console/inventory/sync" hx-post="/console/inventory/sync" hx-target="#sync-jobs" hx-swap="afterbegin" hx-disabled-elt="find button">
    <input type="hidden" name="_csrf" value="${session.csrf}">
    <div class="field"><label for="sync-rows">Rows: sku,onHand[,locationId] — one per line</label>
    <textarea id="sync-rows" name="rows" rows="4" required spellcheck="false"></textarea></div>
    <button type="submit">Start sync</button>
  </form>
  <div id="sync-jobs">${jobs}</div>
</section>`;
}
