/**
 * The eight chaos scenarios of issue 13. Each runs ≥ 300 orders from retrying storefront clients,
 * injects its fault a few seconds into the load, lifts it, runs the support action (retry every
 * order parked as failed, through the API), waits for catch-up and audits.
 */
import { sleep } from '../../stack/processes';
import { type AuditResult, audit, settle, supportRetryFailed, waitForCatchUp } from './audit';
import type { ChaosStack, Slot } from './stack';
import { newOrderRequest, type OrderOutcome, orderLoad, staffHeaders, storefrontHeaders } from './storefront';

export interface ScenarioReport {
  id: number;
  name: string;
  injected: string;
  /** From lifting the fault to the last order of the load reaching its final state (support action included). */
  recoverMs: number;
  /** From lifting the fault to every order settled (support action included). */
  settleMs: number;
  /** Search and caches agreeing with Postgres after the settle. */
  catchUpMs: number;
  observations: Record<string, unknown>;
  audit: AuditResult;
  /** Processes found dead at the end that the scenario did not kill (restarted to go on). */
  unexpectedExits: string[];
}

export interface ScenarioOptions {
  orders: number;
  concurrency: number;
  log: (msg: string) => void;
}

interface FaultResult {
  liftedAt: number;
  observations?: Record<string, unknown>;
}

interface ScenarioDef {
  id: number;
  name: string;
  injected: string;
  /** Injects the fault, waits, lifts it. Gets the outcomes so far (read-only). */
  fault(stack: ChaosStack, o: { log: (m: string) => void; outcomes: OrderOutcome[] }): Promise<FaultResult>;
  /** Runs after the load settled (e.g. shipping in the carrier scenario). */
  after?(stack: ChaosStack, o: { log: (m: string) => void; outcomes: OrderOutcome[] }): Promise<Record<string, unknown>>;
  faultAfterMs?: number;
}

const restart = async (s: Slot) => {
  if (!s.alive()) await s.start();
};

function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T | undefined; error?: string }> {
  const t0 = Date.now();
  return fn().then(
    (value) => ({ ms: Date.now() - t0, value }),
    (err: Error) => ({ ms: Date.now() - t0, value: undefined, error: err.message }),
  );
}

/** Reads product pages in a loop until `stop()`; counts answers by status and the slowest. */
function browseLoop(stack: ChaosStack, path: (i: number) => string, headers: Record<string, string> = {}) {
  const counts: Record<string, number> = {};
  let slowestMs = 0;
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const t = await timed(async () => {
        const res = await fetch(`${stack.apiUrl}${path(i)}`, { headers, signal: AbortSignal.timeout(10_000) });
        await res.text();
        return res.status;
      });
      const key = t.value ? String(t.value) : (t.error ?? 'error');
      counts[key] = (counts[key] ?? 0) + 1;
      slowestMs = Math.max(slowestMs, t.ms);
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { counts, slowestMs };
    },
  };
}

/** An SSE client that reconnects with Last-Event-ID and remembers every event id it saw. */
function sseFollower(stack: ChaosStack, orderId: string, customerId: string) {
  const seen = new Set<number>();
  let last = 0;
  let reconnects = 0;
  let running = true;
  const ctl = { abort: new AbortController() };
  const done = (async () => {
    while (running) {
      ctl.abort = new AbortController();
      try {
        const res = await fetch(`${stack.apiUrl}/v1/orders/${orderId}/events`, {
          headers: {
            ...(await storefrontHeaders(customerId)),
            accept: 'text/event-stream',
            ...(last ? { 'last-event-id': String(last) } : {}),
          },
          signal: ctl.abort.signal,
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const decoder = new TextDecoder();
        let buf = '';
        for await (const chunk of res.body) {
          buf += decoder.decode(chunk as Uint8Array, { stream: true });
          let i = buf.indexOf('\n\n');
          while (i >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const id = /^id: (\d+)$/m.exec(frame)?.[1];
            if (id) {
              seen.add(Number(id));
              last = Math.max(last, Number(id));
            }
            i = buf.indexOf('\n\n');
          }
        }
      } catch {
        // dropped: reconnect below
      }
      if (!running) break;
      reconnects++;
      await sleep(500);
    }
  })();
  return {
    orderId,
    seen,
    reconnects: () => reconnects,
    /** Drops the connection (as a flaky mobile network would); the follower reconnects. */
    drop() {
      ctl.abort.abort();
    },
    async stop() {
      running = false;
      ctl.abort.abort();
      await done;
    },
  };
}

export const SCENARIOS: ScenarioDef[] = [
  {
    id: 1,
    name: 'SIGKILL every worker; one back after 10 s',
    injected: 'SIGKILL to every worker process mid-load; worker-1 restarted 10 s later (the others at the end)',
    async fault(stack, { log }) {
      await Promise.all(stack.workers.map((w) => w.kill('SIGKILL')));
      log(`killed ${stack.workers.length} worker(s)`);
      await sleep(10_000);
      await stack.workers[0]?.start();
      return { liftedAt: Date.now() };
    },
  },
  {
    id: 2,
    name: 'SIGKILL the Temporal dev server; restart on the same DB file',
    injected: 'SIGKILL to the Temporal dev server mid-load; restarted 10 s later on the same SQLite file',
    async fault(stack, { log }) {
      await stack.temporal.kill('SIGKILL');
      log('temporal killed');
      await sleep(10_000);
      await stack.temporal.start();
      return { liftedAt: Date.now() };
    },
  },
  {
    id: 3,
    name: 'Redis down 30 s',
    injected:
      'SIGKILL to redis-server mid-load; restarted (empty) 30 s later on the same port; 20 SSE followers and a product-page reader run throughout',
    async fault(stack, { log }) {
      // Orders that exist by now (on a loaded box few have been answered 10 s into the load).
      const rows = await stack.db
        .selectFrom('orders')
        .select(['id', 'customer_id'])
        .where('idempotency_key', 'like', 'chaos-%')
        .orderBy('created_at', 'desc')
        .limit(20)
        .execute();
      const followers = rows.map((o) => sseFollower(stack, o.id, o.customer_id));
      (stack as ChaosStack & { followers?: typeof followers }).followers = followers;
      const browse = browseLoop(stack, (i) => `/v1/products/${stack.skus[i % stack.skus.length]?.sku}`);
      await sleep(1_000);
      await stack.redis.kill('SIGKILL');
      log('redis killed');
      await sleep(10_000);
      for (const f of followers) f.drop();
      await sleep(20_000);
      await stack.redis.start();
      const liftedAt = Date.now();
      await sleep(3_000);
      const b = await browse.stop();
      return { liftedAt, observations: { productPagesDuringOutage: b.counts, slowestProductPageMs: b.slowestMs } };
    },
    async after(stack) {
      const followers = (stack as ChaosStack & { followers?: ReturnType<typeof sseFollower>[] }).followers ?? [];
      // Give the streams a heartbeat to deliver the last events, then compare with Postgres.
      await sleep(3_000);
      let missed = 0;
      for (const f of followers) {
        const rows = await stack.db.selectFrom('order_events').select('id').where('order_id', '=', f.orderId).execute();
        missed += rows.filter((r) => !f.seen.has(Number(r.id))).length;
      }
      const reconnects = followers.reduce((n, f) => n + f.reconnects(), 0);
      await Promise.all(followers.map((f) => f.stop()));
      return { sseFollowers: followers.length, sseEventsMissed: missed, sseReconnects: reconnects };
    },
  },
  {
    id: 4,
    name: 'Meilisearch down 30 s',
    injected: 'SIGKILL to Meilisearch mid-load; 3 product renames during the outage; restarted 30 s later on the same data',
    async fault(stack, { log }) {
      await stack.meili.kill('SIGKILL');
      log('meilisearch killed');
      const search = browseLoop(stack, (i) => `/v1/search?q=product&limit=5&offset=${i % 3}`);
      for (const s of stack.skus.slice(10, 13)) {
        const res = await fetch(`${stack.apiUrl}/v1/admin/products/${s.sku}`, {
          method: 'PATCH',
          headers: { ...staffHeaders('admin'), 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Renamed during outage ${Date.now()}` }),
        });
        await res.text();
      }
      await sleep(30_000);
      const s = await search.stop();
      await stack.meili.start();
      return { liftedAt: Date.now(), observations: { searchDuringOutage: s.counts, slowestSearchMs: s.slowestMs } };
    },
  },
  {
    id: 5,
    name: 'Payment provider down 2 minutes',
    injected: 'payment sandbox answers 503 to everything for 120 s; then support retries every failed order through the API',
    faultAfterMs: 1_000,
    async fault(stack, { log }) {
      await fetch(`${stack.paymentUrl}/__faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"down":true}',
      });
      log('payment provider down');
      await sleep(120_000);
      await fetch(`${stack.paymentUrl}/__faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"down":false}',
      });
      return { liftedAt: Date.now() };
    },
  },
  {
    id: 6,
    name: 'Carrier hanging and 30% errors during booking and tracking',
    injected:
      'carrier sandbox hangs every call for 20 s, then fails 30% of calls, while ops ship every confirmed order and tracking advances to delivered',
    faultAfterMs: 60_000_000, // no fault during placement: the fault is in `after`
    async fault() {
      return { liftedAt: Date.now() };
    },
    async after(stack, { log, outcomes }) {
      const faults = (body: unknown) =>
        fetch(`${stack.carrierUrl}/__faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const confirmed = (
        await stack.db
          .selectFrom('orders')
          .select('id')
          .where(
            'idempotency_key',
            'in',
            outcomes.map((o) => o.request.key),
          )
          .where('status', '=', 'confirmed')
          .execute()
      ).map((r) => r.id);
      await faults({ hang: true });
      log(`carrier hanging; shipping ${confirmed.length} orders`);
      setTimeout(() => void faults({ hang: false, errorRate: 0.3 }), 20_000);
      let shipErrors = 0;
      let next = 0;
      const shipOne = async (id: string) => {
        for (let attempt = 0; attempt < 60; attempt++) {
          const res = await fetch(`${stack.apiUrl}/v1/ops/orders/${id}/ship`, {
            method: 'POST',
            headers: { ...staffHeaders('ops'), 'content-type': 'application/json' },
            body: '{}',
            signal: AbortSignal.timeout(30_000),
          }).catch(() => undefined);
          const status = res?.status ?? 0;
          await res?.text();
          if (status === 200 || status === 202) return;
          if (status === 409) {
            const o = await stack.db.selectFrom('orders').select('status').where('id', '=', id).executeTakeFirst();
            if (o && o.status !== 'confirmed') return; // already shipping/shipped
          }
          shipErrors++;
          await sleep(1_000);
        }
      };
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < confirmed.length) await shipOne(confirmed[next++] as string);
        }),
      );
      // Bookings that ran out of retries park the order as failed at the ship step: support
      // retries them (through the API) until none is left; then every order must be shipped.
      let shipRetries = await supportRetryFailed(stack, outcomes, 5 * 60_000);
      // Bookings retried on durable timers can land minutes later on a loaded box.
      const deadline = Date.now() + 8 * 60_000;
      while (Date.now() < deadline) {
        const open = await stack.db
          .selectFrom('orders')
          .select('id')
          .where('id', 'in', confirmed)
          .where('status', 'in', ['confirmed', 'failed'])
          .execute();
        if (open.length === 0) break;
        await sleep(2_000);
        shipRetries += await supportRetryFailed(stack, outcomes, 60_000);
      }
      const shipments = await stack.db
        .selectFrom('shipments')
        .select(['order_id', 'tracking_number'])
        .where('order_id', 'in', confirmed)
        .execute();
      // Tracking under 30% carrier errors: every parcel advanced to delivered (webhooks + polls).
      let cursor = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (cursor < shipments.length) {
            const s = shipments[cursor++];
            if (!s) break;
            for (let step = 0; step < 6; step++) {
              for (let a = 0; a < 5; a++) {
                const r = await fetch(`${stack.carrierUrl}/__advance`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ trackingNumber: s.tracking_number }),
                  signal: AbortSignal.timeout(10_000),
                }).catch(() => undefined);
                await r?.text();
                if (r?.ok) break;
              }
            }
          }
        }),
      );
      await faults({ reset: true });
      const sandboxShipments = ((await (await fetch(`${stack.carrierUrl}/__shipments`)).json()) as { shipments: { reference: string }[] })
        .shipments;
      const perOrder = new Map<string, number>();
      for (const s of sandboxShipments) perOrder.set(s.reference, (perOrder.get(s.reference) ?? 0) + 1);
      const dbPerOrder = new Map<string, number>();
      for (const s of shipments) dbPerOrder.set(s.order_id, (dbPerOrder.get(s.order_id) ?? 0) + 1);
      for (let i = 0; i < 30; i++) {
        const n = await stack.db
          .selectFrom('orders')
          .select('id')
          .where('id', 'in', confirmed)
          .where('status', '!=', 'delivered')
          .execute();
        if (n.length === 0) break;
        await sleep(2_000);
      }
      const delivered = await stack.db
        .selectFrom('orders')
        .select('id')
        .where('id', 'in', confirmed)
        .where('status', '=', 'delivered')
        .execute();
      return {
        ordersShipped: confirmed.length,
        shipRequestsResent: shipErrors,
        shipFailedRetriedBySupport: shipRetries,
        labelsBookedTwice: [...perOrder.values()].filter((n) => n > 1).length,
        ordersWithoutLabel: confirmed.filter((id) => !perOrder.has(id) && !dbPerOrder.has(id)).length,
        shipmentRowsTwice: [...dbPerOrder.values()].filter((n) => n > 1).length,
        delivered: delivered.length,
      };
    },
  },
  {
    id: 7,
    name: 'SIGKILL the API mid-load while clients resend',
    injected: 'SIGKILL to the API process mid-load; restarted 5 s later; clients resend with their keys',
    async fault(stack, { log }) {
      await stack.api.kill('SIGKILL');
      log('api killed');
      await sleep(5_000);
      await stack.api.start();
      return { liftedAt: Date.now() };
    },
  },
  {
    id: 8,
    name: 'Postgres connections cut 20 s',
    injected: 'TCP proxy in front of Postgres resets every connection and refuses new ones for 20 s',
    async fault(stack, { log }) {
      // Both probes need Postgres and carry a customer's token (v1.1): an order read (404 when
      // Postgres answers, 503 while it is cut) and a placement of an unknown sku (its lookup is a
      // Postgres read: 400 when it answers, 503 while cut; it can never create an order).
      const probeCustomer = 'chaos-probe-customer';
      const probeHeaders = await storefrontHeaders(probeCustomer);
      const probe = browseLoop(stack, () => '/v1/orders/ord_chaos_probe_none', probeHeaders);
      stack.pgProxy.cut();
      log('postgres cut');
      const placements: number[] = [];
      const placementStatuses: Record<string, number> = {};
      const probeBody = JSON.stringify({
        ...newOrderRequest([{ sku: 'chaos-probe-unknown-sku' }], 1).body,
        customerId: probeCustomer,
        email: 'probe@example.com',
      });
      const t = setInterval(() => {
        const t0 = Date.now();
        void fetch(`${stack.apiUrl}/v1/orders`, {
          method: 'POST',
          headers: { ...probeHeaders, 'content-type': 'application/json', 'idempotency-key': `probe-${t0}` },
          body: probeBody,
        })
          .then(async (r) => {
            await r.text();
            placementStatuses[r.status] = (placementStatuses[r.status] ?? 0) + 1;
          })
          .catch(() => undefined)
          .finally(() => placements.push(Date.now() - t0));
      }, 2_000);
      await sleep(20_000);
      clearInterval(t);
      stack.pgProxy.restore();
      const p = await probe.stop();
      return {
        liftedAt: Date.now(),
        observations: {
          probeDuringCut: p.counts,
          slowestProbeMs: p.slowestMs,
          placementProbes: placementStatuses,
          slowestPlacementMs: Math.max(0, ...placements),
        },
      };
    },
  },
];

/** Runs one scenario on a running stack. */
export async function runScenario(stack: ChaosStack, def: ScenarioDef, opts: ScenarioOptions): Promise<ScenarioReport> {
  const log = (m: string) => opts.log(`[${def.id}] ${m}`);
  log(`${def.name}: ${opts.orders} orders, ${opts.concurrency} clients`);
  const outcomes: OrderOutcome[] = [];
  const t0 = Date.now();
  const load = orderLoad(stack.apiUrl, {
    total: opts.orders,
    concurrency: opts.concurrency,
    makeRequest: () => newOrderRequest(stack.skus, 50),
    onOutcome: (o) => outcomes.push(o),
  });
  let fault: FaultResult = { liftedAt: Date.now() };
  let faultError: unknown;
  const faultAfter = def.faultAfterMs ?? 4_000;
  const faultRun = (async () => {
    // Inject once the load is under way (orders in flight) — or when the load ended first.
    while (Date.now() - t0 < faultAfter && outcomes.length < opts.orders) await sleep(200);
    if (faultAfter > 600_000) return;
    try {
      fault = await def.fault(stack, { log, outcomes });
      log(`fault lifted after ${((Date.now() - t0) / 1000).toFixed(0)} s of load`);
    } catch (err) {
      faultError = err;
    }
  })();
  await Promise.all([load, faultRun]);
  if (faultError) throw faultError;
  log(`load done: ${outcomes.length} answered in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  await settle(stack, outcomes, 4 * 60_000);
  const parked = await stack.db
    .selectFrom('orders')
    .select('id')
    .where(
      'idempotency_key',
      'in',
      outcomes.map((o) => o.request.key),
    )
    .where('status', '=', 'failed')
    .execute();
  if (parked.length) log(`${parked.length} orders parked failed: support retries them`);
  const supportRetries = parked.length ? await supportRetryFailed(stack, outcomes, 6 * 60_000) : 0;
  const settleMs = Date.now() - fault.liftedAt;
  const lastChange = await stack.db
    .selectFrom('orders')
    .select(({ fn }) => fn.max('updated_at').as('at'))
    .where(
      'idempotency_key',
      'in',
      outcomes.map((o) => o.request.key),
    )
    .executeTakeFirst();
  const recoverMs = lastChange?.at ? Math.max(0, new Date(lastChange.at).getTime() - fault.liftedAt) : -1;
  const afterObs = def.after ? await def.after(stack, { log, outcomes }) : {};

  const unexpectedExits: string[] = [];
  const killed = new Set<string>(def.id === 1 ? stack.workers.slice(1).map((w) => w.name) : []);
  for (const s of [stack.redis, stack.temporal, stack.meili, stack.sandboxes, stack.api, ...stack.workers]) {
    if (!s.alive()) {
      if (!killed.has(s.name)) unexpectedExits.push(s.name);
      await restart(s);
    }
  }
  const catchUpMs = await waitForCatchUp(stack, 2 * 60_000);
  const result = await audit(stack, outcomes, { parkedFailed: parked.length, supportRetries });
  log(`audit: ${JSON.stringify({ ...result, problems: result.problems.length, remarks: result.remarks.length })}`);
  for (const p of result.problems.slice(0, 10)) log(`  problem: ${p}`);
  for (const p of result.remarks.slice(0, 10)) log(`  remark: ${p}`);
  return {
    id: def.id,
    name: def.name,
    injected: def.injected,
    recoverMs,
    settleMs,
    catchUpMs,
    observations: { ...fault.observations, ...afterObs },
    audit: result,
    unexpectedExits,
  };
}

/** The audit's verdict: every count that must be zero is zero. */
export function violations(r: ScenarioReport): string[] {
  const a = r.audit;
  const out: string[] = [];
  const zero: Array<keyof AuditResult> = [
    'lost',
    'duplicated',
    'notTerminal',
    'doubleAuthorized',
    'doubleCharged',
    'ledgerWithoutReason',
    'confirmedWithoutAuthorization',
    'cancelledStillAuthorized',
    'oversold',
    'ledgerDrift',
    'emailDuplicates',
    'emailsMissing',
    'searchMismatches',
    'cacheMismatches',
  ];
  for (const k of zero) if (a[k] !== 0) out.push(`${k}=${a[k]}`);
  if (a.orders < a.requests) out.push(`orders ${a.orders} < requests ${a.requests}`);
  if (r.catchUpMs < 0) out.push('search/caches never caught up');
  if (r.unexpectedExits.length) out.push(`unexpected exits: ${r.unexpectedExits.join(',')}`);
  const o = r.observations;
  if (typeof o.sseEventsMissed === 'number' && o.sseEventsMissed > 0) out.push(`sseEventsMissed=${o.sseEventsMissed}`);
  if (typeof o.labelsBookedTwice === 'number' && o.labelsBookedTwice > 0) out.push(`labelsBookedTwice=${o.labelsBookedTwice}`);
  if (typeof o.shipmentRowsTwice === 'number' && o.shipmentRowsTwice > 0) out.push(`shipmentRowsTwice=${o.shipmentRowsTwice}`);
  if (typeof o.ordersWithoutLabel === 'number' && o.ordersWithoutLabel > 0) out.push(`ordersWithoutLabel=${o.ordersWithoutLabel}`);
  return out;
}
