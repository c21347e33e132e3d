/** Search index (ops): sync lag, last run, last error; Reindex (admin) with progress. */
import type { ReindexJob, SearchSyncStatusView } from '../../domain/schemas/search';
import type { ApiResult } from '../api-client';
import { answer, time } from '../format';
import { type Html, html } from '../html';
import type { Session } from '../session';

const REFRESH_SECONDS = 5;

export function syncStatusPanel(r: ApiResult<SearchSyncStatusView>): Html {
  const wrap = (inner: Html) =>
    html`<div id="sync-status" hx-get="/console/search-index/status" hx-trigger="every ${REFRESH_SECONDS}s" hx-swap="outerHTML">${inner}</div>`;
  if (!r.ok) return wrap(answer(false, 'The API refused the sync status', r.problem));
  const s = r.body;
  const run = s.workflow?.lastRun;
  return wrap(html`<dl class="kv">
  <dt>Sync lag</dt><dd id="sync-lag">${s.backlog.pending ? `${s.backlog.lagSeconds.toFixed(1)} s (${s.backlog.pending} changes pending)` : '0 s (nothing pending)'}</dd>
  <dt>Sync workflow</dt><dd>${s.workflow ? html`running since ${time(s.workflow.since)} · ${s.workflow.totals.rows} changes in ${s.workflow.totals.runs} runs` : 'not answering (not running, or Temporal is unavailable)'}</dd>
  <dt>Last run</dt><dd id="sync-last-run">${
    run
      ? html`last batch ${time(run.lastBatchAt)} · ${run.rows} changes, ${run.upserts} upserts, ${run.deletes} deletes${run.lagMsP95 !== null ? ` · lag p95 ${run.lagMsP95} ms` : ''}`
      : '—'
  }</dd>
  <dt>Last error</dt><dd id="sync-last-error">${s.workflow?.lastError ?? 'none'}</dd>
</dl>
<p class="meta">Refreshes every ${REFRESH_SECONDS} s.</p>`);
}

export function reindexPanel(job: ReindexJob): Html {
  const p = job.progress;
  const running = job.status === 'running';
  const pct = p?.total ? Math.floor((p.indexed / p.total) * 100) : job.status === 'completed' ? 100 : 0;
  return html`<div class="job" id="reindex-job" ${running ? html`hx-get="/console/search-index/reindex/${encodeURIComponent(job.jobId)}" hx-trigger="every 1s" hx-swap="outerHTML"` : ''}>
  <p>Reindex <code>${job.jobId}</code> · <strong>${job.status}</strong>${p ? html` · phase ${p.phase} · started ${time(p.startedAt)}${p.finishedAt ? html` · finished ${time(p.finishedAt)}` : ''}` : ''}</p>
  <progress max="100" value="${pct}" aria-label="Reindex progress">${pct}%</progress>
  <p class="meta">${p ? `${p.indexed} of ${p.total} products (${pct}%)${p.docsPerSecond ? ` · ${Math.round(p.docsPerSecond)} docs/s` : ''}` : ''}${job.error ? ` · ${job.error}` : ''}</p>
</div>`;
}

export function searchIndexPage(status: Html, session: Session, lastJob: Html | null): Html {
  return html`<h1>Search index</h1>
<section aria-labelledby="h-sync-status">
  <h2 id="h-sync-status">Sync</h2>
  ${status}
</section>
<section aria-labelledby="h-reindex">
  <h2 id="h-reindex">Full reindex</h2>
  <p>Builds a new index aside from Postgres and swaps it in; search keeps answering throughout.</p>
  ${
    session.role === 'admin'
      ? html`<form method="post" action="/console/search-index/reindex" hx-post="/console/search-index/reindex" hx-target="#reindex" hx-disabled-elt="find button">
    <input type="hidden" name="_csrf" value="${session.csrf}">
    <button type="submit">Reindex</button>
  </form>`
      : html`<p class="meta">Reindex needs an admin key.</p>`
  }
  <div id="reindex" role="status" aria-live="polite">${lastJob ?? ''}</div>
</section>`;
}
