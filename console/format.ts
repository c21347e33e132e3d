/** Small view helpers: money, ages, times, and the server's answer to an action. */
import type { Failure } from '../domain/schemas/orders';
import type { Problem } from './api-client';
import { type Html, html } from './html';

export function money(m: { amount: number; currency: string } | undefined): string {
  if (!m) return '';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currency }).format(m.amount / 100);
  } catch {
    return `${(m.amount / 100).toFixed(2)} ${m.currency}`;
  }
}

export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

export function time(iso: string | null | undefined): Html {
  if (!iso) return html`—`;
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`;
}

export function problemText(p: Problem): string {
  return [p.status, p.code, p.detail ?? p.title].filter(Boolean).join(' · ');
}

/** The server's answer to an action: role=status so screen readers announce it. */
export function answer(ok: boolean, title: string, p?: Problem): Html {
  return html`<div class="answer ${ok ? 'ok' : 'refused'}" data-ok="${String(ok)}">
  <p><strong>${title}</strong></p>
  ${
    p
      ? html`<dl class="problem">
    <dt>Status</dt><dd>${p.status}</dd>
    ${p.code ? html`<dt>Code</dt><dd><code>${p.code}</code></dd>` : ''}
    ${p.detail || p.title ? html`<dt>Detail</dt><dd>${p.detail ?? p.title}</dd>` : ''}
    ${p.errors?.length ? html`<dt>Errors</dt><dd><ul>${p.errors.map((e) => html`<li><code>${e.path ?? ''}</code> ${e.message ?? ''}</li>`)}</ul></dd>` : ''}
    ${p.requestId ? html`<dt>Request id</dt><dd><code>${p.requestId}</code></dd>` : ''}
  </dl>`
      : ''
  }
</div>`;
}

/** Why an order or return is `failed`: the step, the code and message, whether a retry can help. */
export function failureNote(f: Failure | null | undefined): Html | '' {
  if (!f) return '';
  return html`<div class="failure" role="note" aria-label="Failure"><p><strong>Failed at ${f.step}</strong>: <code>${f.code}</code> ${f.message}</p><p>Retryable: ${f.retryable ? 'yes' : 'no'}</p></div>`;
}
