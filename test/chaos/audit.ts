/**
 * The nothing-lost audit every chaos scenario ends with (issue 13): request ↔ order, terminal
 * states (after the scenario's support action), the payment ledger, the stock books, emails by
 * Message-ID, and search and caches against Postgres.
 */
import { sql } from 'kysely';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { availabilityStatus } from '../../domain/availability';
import { sleep } from '../../stack/processes';
import type { ChaosStack } from './stack';
import { type OrderOutcome, staffHeaders } from './storefront';

export interface AuditResult {
  requests: number;
  orders: number;
  confirmed: number;
  cancelled: number;
  /** Parked `failed` during the fault (before the support action). */
  parkedFailed: number;
  supportRetries: number;
  lost: number;
  duplicated: number;
  notTerminal: number;
  doubleAuthorized: number;
  doubleCharged: number;
  ledgerWithoutReason: number;
  confirmedWithoutAuthorization: number;
  cancelledStillAuthorized: number;
  oversold: number;
  ledgerDrift: number;
  /** Emails in the sink more than once (same Message-ID) with no recorded ambiguous attempt to explain every extra copy: a bug. */
  emailDuplicates: number;
  /**
   * Emails in the sink more than once, every extra copy explained by a recorded ambiguous attempt
   * (`order_notifications.ambiguous_resends`: a sender died between its claim and its record).
   */
  emailResendsExplained: number;
  emailsMissing: number;
  searchMismatches: number;
  cacheMismatches: number;
  clientResends: number;
  problems: string[];
  /** What is worth reading but no problem (explained re-sends). */
  remarks: string[];
}

const TERMINAL = new Set(['confirmed', 'cancelled', 'shipped', 'delivered']);

async function ordersOf(stack: ChaosStack, outcomes: readonly OrderOutcome[]) {
  const keys = outcomes.map((o) => o.request.key);
  if (keys.length === 0) return [];
  return stack.db
    .selectFrom('orders')
    .select(['id', 'customer_id', 'idempotency_key', 'status', 'failure', 'payment_authorization_id'])
    .where('idempotency_key', 'in', keys)
    .execute();
}

/**
 * Waits until every request the API accepted (201/202) has its order row and no order of the run
 * is `placed` (or the timeout); failed ones are left to support. Under heavy load a workflow's
 * first task can be delayed by tens of seconds, so an accepted order may not have its row yet.
 */
export async function settle(stack: ChaosStack, outcomes: readonly OrderOutcome[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const accepted = new Set(outcomes.filter((o) => o.status === 201 || o.status === 202).map((o) => o.request.key));
  while (Date.now() < deadline) {
    const rows = await ordersOf(stack, outcomes).catch(() => undefined);
    const present = new Set(rows?.map((r) => r.idempotency_key));
    if (rows?.every((r) => r.status !== 'placed') && [...accepted].every((k) => present.has(k))) return;
    await sleep(1_000);
  }
}

/** Support's action: every failed order of the run is retried through the API, until none is left. */
export async function supportRetryFailed(stack: ChaosStack, outcomes: readonly OrderOutcome[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let retries = 0;
  while (Date.now() < deadline) {
    const failed = (await ordersOf(stack, outcomes)).filter((r) => r.status === 'failed');
    if (failed.length === 0) return retries;
    for (const o of failed) {
      const res = await fetch(`${stack.apiUrl}/v1/ops/orders/${o.id}/retry`, { method: 'POST', headers: staffHeaders('support') }).catch(
        () => undefined,
      );
      if (res && res.status < 300) retries++;
      await res?.text();
    }
    await settle(stack, outcomes, Math.max(0, deadline - Date.now()));
    await sleep(1_000);
  }
  return retries;
}

interface LedgerEntry {
  type: 'authorization' | 'capture' | 'void' | 'refund';
  reference: string;
  authorizationId?: string;
  id: string;
}

export async function audit(
  stack: ChaosStack,
  outcomes: readonly OrderOutcome[],
  extra: { parkedFailed?: number; supportRetries?: number } = {},
): Promise<AuditResult> {
  const problems: string[] = [];
  const note = (msg: string) => {
    if (problems.length < 40) problems.push(msg);
  };
  const rows = await ordersOf(stack, outcomes);
  const byKey = new Map<string, typeof rows>();
  for (const r of rows)
    byKey.set(`${r.customer_id}|${r.idempotency_key}`, [...(byKey.get(`${r.customer_id}|${r.idempotency_key}`) ?? []), r]);

  let lost = 0;
  let duplicated = 0;
  for (const o of outcomes) {
    const mine = byKey.get(`${o.request.customerId}|${o.request.key}`) ?? [];
    if (mine.length === 0) {
      lost++;
      note(`request ${o.request.key}: no order (answer ${o.status}, attempts ${o.attempts}: ${o.errors.slice(-3).join(',')})`);
    } else if (mine.length > 1) {
      duplicated += mine.length - 1;
      note(`request ${o.request.key}: ${mine.length} orders`);
    } else if (o.orderId && o.orderId !== mine[0]?.id) {
      duplicated++;
      note(`request ${o.request.key}: answered ${o.orderId}, stored ${mine[0]?.id}`);
    }
  }
  const notTerminal = rows.filter((r) => !TERMINAL.has(r.status));
  for (const r of notTerminal.slice(0, 5)) note(`order ${r.id} is ${r.status}${r.failure ? ` (${JSON.stringify(r.failure)})` : ''}`);

  // Payment ledger: ≤ 1 authorization and ≤ 1 capture per order; every entry belongs to an order.
  const ledger = (await (await fetch(`${stack.paymentUrl}/__ledger`)).json()) as { entries: LedgerEntry[] };
  const ids = new Set(rows.map((r) => r.id));
  const allOrderIds = new Set((await stack.db.selectFrom('orders').select('id').execute()).map((r) => r.id));
  const per = new Map<string, { auth: number; cap: number; void: number; refund: number }>();
  let ledgerWithoutReason = 0;
  for (const e of ledger.entries) {
    if (!allOrderIds.has(e.reference)) {
      ledgerWithoutReason++;
      note(`ledger ${e.type} ${e.id} for unknown reference ${e.reference}`);
      continue;
    }
    if (!ids.has(e.reference)) continue;
    const c = per.get(e.reference) ?? { auth: 0, cap: 0, void: 0, refund: 0 };
    if (e.type === 'authorization') c.auth++;
    else if (e.type === 'capture') c.cap++;
    else if (e.type === 'void') c.void++;
    else c.refund++;
    per.set(e.reference, c);
  }
  let doubleAuthorized = 0;
  let doubleCharged = 0;
  let confirmedWithoutAuthorization = 0;
  let cancelledStillAuthorized = 0;
  for (const r of rows) {
    const c = per.get(r.id) ?? { auth: 0, cap: 0, void: 0, refund: 0 };
    if (c.auth > 1) {
      doubleAuthorized++;
      note(`order ${r.id}: ${c.auth} authorizations`);
    }
    if (c.cap > 1) {
      doubleCharged++;
      note(`order ${r.id}: ${c.cap} captures`);
    }
    if (r.status === 'confirmed' && (c.auth !== 1 || c.void > 0)) {
      confirmedWithoutAuthorization++;
      note(`order ${r.id} confirmed with ${c.auth} authorizations, ${c.void} voids`);
    }
    if (r.status === 'cancelled' && c.auth > 0 && c.void + c.refund === 0) {
      cancelledStillAuthorized++;
      note(`order ${r.id} cancelled but its authorization stands`);
    }
  }

  // Stock: no level below zero or reserving more than it has; books balance with held reservations.
  const skus = stack.skus.map((s) => s.sku);
  const oversoldRows = await stack.db
    .selectFrom('inventory_levels')
    .select(['sku', 'on_hand', 'reserved'])
    .where('sku', 'in', skus)
    .where((eb) => eb.or([eb('on_hand', '<', 0), eb('reserved', '>', eb.ref('on_hand')), eb('reserved', '<', 0)]))
    .execute();
  for (const o of oversoldRows) note(`oversold ${o.sku}: on hand ${o.on_hand}, reserved ${o.reserved}`);
  const drift = await ledgerImbalances(stack.db, skus);
  for (const d of drift.slice(0, 5)) note(`stock ledger drift ${JSON.stringify(d)}`);
  const heldForClosed = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM reservations r JOIN orders o ON o.id = r.order_id
     WHERE r.status = 'held' AND o.status = 'cancelled' AND o.id = ANY(${[...ids]}::text[])`.execute(stack.db);
  const heldCancelled = heldForClosed.rows[0]?.n ?? 0;
  if (heldCancelled > 0) note(`${heldCancelled} reservations still held for cancelled orders`);

  // Emails: each Message-ID once; every notification the engine recorded reached the sink. An
  // extra copy is explained only by a recorded ambiguous attempt (a sender that died between its
  // claim and its record: activities/orders/email-delivery.ts); any other is a bug, in every scenario.
  const mail = (await (await fetch(`${stack.mailUrl}/messages`)).json()) as { messages: { messageId?: string }[] };
  const seen = new Map<string, number>();
  for (const m of mail.messages) if (m.messageId) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
  const notes = rows.length
    ? await stack.db
        .selectFrom('order_notifications')
        .select(['order_id', 'kind', 'message_id', 'ambiguous_resends'])
        .where('order_id', 'in', [...ids])
        .execute()
    : [];
  const remarks: string[] = [];
  let emailDuplicates = 0;
  let emailResendsExplained = 0;
  let emailsMissing = 0;
  for (const n of notes) {
    const count = seen.get(n.message_id) ?? 0;
    if (count > 1 + n.ambiguous_resends) {
      emailDuplicates++;
      note(`email ${n.message_id} delivered ${count} times, ${n.ambiguous_resends} ambiguous attempts recorded`);
    } else if (count > 1) {
      emailResendsExplained++;
      remarks.push(`email ${n.message_id} delivered ${count} times after ${n.ambiguous_resends} ambiguous attempts (sender died mid-send)`);
    }
    if (count === 0) {
      emailsMissing++;
      note(`email ${n.message_id} recorded but not in the sink`);
    }
  }
  const noted = new Set(notes.map((n) => `${n.order_id}|${n.kind}`));
  for (const r of rows) {
    if (r.status === 'confirmed' && !noted.has(`${r.id}|confirmed`)) {
      emailsMissing++;
      note(`order ${r.id} confirmed without its email`);
    }
  }

  // Search and caches against Postgres (after catch-up; the caller waited).
  const { searchMismatches, cacheMismatches } = await searchAndCacheMismatches(stack, note);

  return {
    requests: outcomes.length,
    orders: rows.length,
    confirmed: rows.filter((r) => r.status === 'confirmed' || r.status === 'shipped' || r.status === 'delivered').length,
    cancelled: rows.filter((r) => r.status === 'cancelled').length,
    parkedFailed: extra.parkedFailed ?? 0,
    supportRetries: extra.supportRetries ?? 0,
    lost,
    duplicated,
    notTerminal: notTerminal.length,
    doubleAuthorized,
    doubleCharged,
    ledgerWithoutReason,
    confirmedWithoutAuthorization,
    cancelledStillAuthorized,
    oversold: oversoldRows.length,
    ledgerDrift: drift.length + heldCancelled,
    emailDuplicates,
    emailResendsExplained,
    emailsMissing,
    searchMismatches,
    cacheMismatches,
    clientResends: outcomes.reduce((n, o) => n + o.attempts - 1, 0),
    problems,
    remarks,
  };
}

async function availableBySku(stack: ChaosStack): Promise<Map<string, { id: string; available: number; name: string; price: number }>> {
  const rows = await sql<{ sku: string; id: string; name: string; price_amount: number; available: number }>`
    SELECT p.sku, p.id, p.name, p.price_amount, coalesce(sum(l.on_hand - l.reserved), 0)::int AS available
      FROM products p LEFT JOIN inventory_levels l ON l.sku = p.sku
     WHERE p.sku = ANY(${stack.skus.map((s) => s.sku)}::text[]) AND p.deleted_at IS NULL
     GROUP BY p.sku, p.id, p.name, p.price_amount`.execute(stack.db);
  return new Map(rows.rows.map((r) => [r.sku, { id: r.id, available: r.available, name: r.name, price: r.price_amount }]));
}

/** Product pages (through the API's cache) and search documents agree with Postgres. */
export async function searchAndCacheMismatches(stack: ChaosStack, note: (m: string) => void = () => {}) {
  const truth = await availableBySku(stack);
  const low = Number(stack.env.LOW_STOCK_THRESHOLD ?? 5);
  let cacheMismatches = 0;
  let searchMismatches = 0;
  for (const [sku, t] of truth) {
    const res = await fetch(`${stack.apiUrl}/v1/products/${encodeURIComponent(sku)}`);
    const p = (await res.json()) as { name?: string; price?: { amount?: number } | number; availability?: { available?: number } };
    if (p.availability?.available !== t.available || p.name !== t.name) {
      cacheMismatches++;
      note(`product ${sku}: API says ${p.name} / ${p.availability?.available}, Postgres ${t.name} / ${t.available}`);
    }
    const doc = await fetch(`${stack.env.MEILI_URL}/indexes/${stack.env.MEILI_INDEX_PREFIX}products/documents/${t.id}`);
    const d = doc.ok ? ((await doc.json()) as { name?: string; availabilityStatus?: string }) : undefined;
    if (!d || d.name !== t.name || d.availabilityStatus !== availabilityStatus(t.available, low)) {
      searchMismatches++;
      note(
        `search ${sku}: ${d ? `${d.name} / ${d.availabilityStatus}` : `HTTP ${doc.status}`}, Postgres ${t.name} / ${availabilityStatus(t.available, low)}`,
      );
    }
  }
  return { searchMismatches, cacheMismatches };
}

/** Emails still in the order email outbox: a sender killed mid-send leaves its claim leased for 90 s. */
async function queuedEmails(stack: ChaosStack): Promise<number> {
  const r = await stack.db
    .selectFrom('order_email_outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Polls until search and caches agree and the email outbox has drained (catch-up), returning how
 * long it took, or -1. Only then may the audit count emails: a confirmation whose first attempt
 * died with its worker is sent by a sweeper once the lease ends, durably but not at once.
 */
export async function waitForCatchUp(stack: ChaosStack, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const m = await searchAndCacheMismatches(stack).catch(() => ({ searchMismatches: 1, cacheMismatches: 1 }));
    const queued = await queuedEmails(stack).catch(() => 1);
    if (m.searchMismatches === 0 && m.cacheMismatches === 0 && queued === 0) return Date.now() - t0;
    await sleep(1_000);
  }
  return -1;
}
