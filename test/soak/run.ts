/**
 * `npm run soak` (SOAK_MINUTES, default 30): the chaos stack (test/chaos/stack.ts) under mixed
 * traffic at half its measured order capacity — product pages, lists, search, shipping rates,
 * orders, cancels, shipments driven to delivery — sampling every minute the RSS of each process,
 * p50/p99 per route, errors, open workflows, Postgres table sizes and Redis memory. One JSON line
 * per minute in .data/soak/<run>/samples.jsonl, a verdict line at the end, and the curves as a PNG
 * (test/soak/plot.py, matplotlib in .tools/). Pass: after the warm-up (5 min, or a third of a
 * shorter run) no process's RSS grows more than 10%, each route's p99 stays within 1.5× of the
 * first sampled minute, errors stay under 0.1%.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import Redis from 'ioredis';
import { sql } from 'kysely';
import { PROJECT_ROOT } from '../../stack/binaries';
import { sleep } from '../../stack/processes';
import { CHAOS_STACK_ENV } from '../chaos/settings';
import { type ChaosStack, startChaosStack } from '../chaos/stack';
import { newOrderRequest, orderLoad, placeWithRetries, staffHeaders, storefrontHeaders } from '../chaos/storefront';
import { groupRssMb } from './proc-stats';
import { type Sample, verdict } from './verdict';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const WARMUP_MINUTES = Math.min(5, Math.max(1, Math.floor(MINUTES / 3)));
const t0 = Date.now();
const log = (m: string) => console.log(`[soak +${((Date.now() - t0) / 1000).toFixed(0)}s load ${loadavg()[0]?.toFixed(1)}] ${m}`);

type Route = 'product' | 'list' | 'search' | 'rates' | 'order' | 'cancel' | 'ship' | 'deliver';
let bucket = new Map<Route, { ms: number[]; errors: number }>();
function record(route: Route, ms: number, ok: boolean) {
  const b = bucket.get(route) ?? { ms: [], errors: 0 };
  b.ms.push(ms);
  if (!ok) b.errors++;
  bucket.set(route, b);
}
async function timedFetch(
  route: Route,
  url: string,
  init?: RequestInit,
  okStatuses: readonly number[] = [200, 201, 202],
): Promise<Response | undefined> {
  const s = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    await res.clone().text();
    record(route, Date.now() - s, okStatuses.includes(res.status));
    return res;
  } catch {
    record(route, Date.now() - s, false);
    return undefined;
  }
}

let running = true;
const inFlightTasks = new Set<Promise<unknown>>();

/** Calls `fn` `perSecond` times a second (open loop), at most `maxInFlight` at once. */
function every(perSecond: number, maxInFlight: number, fn: () => Promise<unknown>) {
  let inFlight = 0;
  const timer = setInterval(
    () => {
      if (inFlight >= maxInFlight || !running) return;
      inFlight++;
      const task = fn()
        .catch((err: unknown) => log(`task failed: ${String(err)}`))
        .finally(() => {
          inFlight--;
          inFlightTasks.delete(task);
        });
      inFlightTasks.add(task);
    },
    Math.max(10, 1000 / perSecond),
  );
  return () => clearInterval(timer);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number) : 0;
};

async function measureCapacity(stack: ChaosStack): Promise<number> {
  const started = Date.now();
  const outcomes = await orderLoad(stack.apiUrl, {
    total: 120,
    concurrency: 16,
    makeRequest: () => newOrderRequest(stack.skus.slice(4), 50),
  });
  // Accepted orders per second (201 or 202): on a loaded box most answers are 202 (confirmed a
  // little later), and counting 201s alone would read as zero capacity.
  const accepted = outcomes.filter((o) => o.status === 201 || o.status === 202).length;
  return accepted / ((Date.now() - started) / 1000);
}

async function main() {
  const stack = await startChaosStack({ workers: 1, env: CHAOS_STACK_ENV, log });
  const out = path.join(PROJECT_ROOT, '.data/soak', path.basename(stack.dir));
  mkdirSync(out, { recursive: true });
  const samplesFile = path.join(out, 'samples.jsonl');
  const temporal = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS as string });
  const client = new Client({ connection: temporal, namespace: 'default' });
  const redis = new Redis(stack.env.REDIS_URL as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const capacity = await measureCapacity(stack);
    const orderRate = Math.max(0.5, capacity / 2);
    log(
      `capacity ${capacity.toFixed(1)} orders/s → soak at ${orderRate.toFixed(1)} orders/s for ${MINUTES} min (warm-up ${WARMUP_MINUTES})`,
    );
    const skus = stack.skus.slice(4); // plentiful stock: a soak is not about running out
    const confirmed: Array<{ id: string; customerId: string }> = [];
    bucket = new Map();
    const stops = [
      every(6, 20, () => timedFetch('product', `${stack.apiUrl}/v1/products/${skus[Math.floor(Math.random() * skus.length)]?.sku}`)),
      every(2, 10, () => timedFetch('list', `${stack.apiUrl}/v1/products?limit=20`)),
      every(3, 10, () => timedFetch('search', `${stack.apiUrl}/v1/search?q=product&limit=10`)),
      every(1, 10, () =>
        timedFetch('rates', `${stack.apiUrl}/v1/shipping/rates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ destination: { country: 'GB', postalCode: 'SW1Y 4JH' }, items: [{ sku: skus[0]?.sku, quantity: 1 }] }),
        }),
      ),
      every(orderRate, 64, async () => {
        const s = Date.now();
        const o = await placeWithRetries(stack.apiUrl, newOrderRequest(skus, 200), 60_000);
        record('order', Date.now() - s, (o.status === 201 || o.status === 202) && o.attempts === 1);
        if (o.orderId && o.status === 201) confirmed.push({ id: o.orderId, customerId: o.request.customerId });
      }),
      // Every order ends: a tenth is cancelled, the rest shipped and driven to delivered — so open
      // workflows reach a plateau (orders in flight × their lifetime) instead of growing with
      // confirmed orders that wait for a shipment by design.
      every(orderRate / 10, 8, async () => {
        const o = confirmed.shift();
        if (!o) return;
        await timedFetch(
          'cancel',
          `${stack.apiUrl}/v1/orders/${o.id}/cancel`,
          { method: 'POST', headers: await storefrontHeaders(o.customerId) },
          [200],
        );
      }),
      every((orderRate * 9) / 10, 32, async () => {
        const o = confirmed.shift();
        if (!o) return;
        const r = await timedFetch('ship', `${stack.apiUrl}/v1/ops/orders/${o.id}/ship`, {
          method: 'POST',
          headers: { ...staffHeaders('ops'), 'content-type': 'application/json' },
          body: '{}',
        });
        const body = r?.ok ? ((await r.json()) as { shipping?: { trackingNumber?: string } }) : undefined;
        let tracking = body?.shipping?.trackingNumber;
        for (let i = 0; !tracking && i < 20; i++) {
          await sleep(1_000);
          tracking =
            (await stack.db.selectFrom('orders').select('tracking_number').where('id', '=', o.id).executeTakeFirst())?.tracking_number ??
            undefined;
        }
        if (!tracking) return;
        // Until the carrier says delivered (a 409 "already delivered" is the end, not an error).
        for (let step = 0; step < 8; step++) {
          await sleep(2_000);
          const r = await timedFetch(
            'deliver',
            `${stack.carrierUrl}/__advance`,
            { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNumber: tracking }) },
            [200, 409],
          );
          const moved = r?.ok ? ((await r.json()) as { status?: string }).status : r?.status === 409 ? 'delivered' : undefined;
          if (moved === 'delivered' || !running) break;
        }
      }),
    ];

    const samples: Sample[] = [];
    for (let minute = 1; minute <= MINUTES; minute++) {
      await sleep(60_000);
      const b = bucket;
      bucket = new Map();
      const routes: Sample['routes'] = {};
      let requests = 0;
      let errors = 0;
      for (const [route, v] of b) {
        routes[route] = { n: v.ms.length, p50: pct(v.ms, 50), p99: pct(v.ms, 99), errors: v.errors };
        requests += v.ms.length;
        errors += v.errors;
      }
      const rss: Record<string, number> = {};
      for (const s of [stack.api, ...stack.workers, stack.sandboxes, stack.temporal, stack.meili, stack.redis]) {
        if (s.proc?.child.pid) rss[s.name] = groupRssMb(s.proc.child.pid);
      }
      const openWorkflows = await client.workflow
        .count('ExecutionStatus="Running"')
        .then((c) => c.count)
        .catch(() => -1);
      const tables = await sql<{ name: string; mb: number }>`
        SELECT relname AS name, round(pg_total_relation_size(relid) / 1048576.0, 2)::float AS mb
          FROM pg_catalog.pg_statio_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 8`.execute(stack.db);
      const redisInfo = await redis.info('memory');
      const redisMb = Math.round((Number(/used_memory:(\d+)/.exec(redisInfo)?.[1] ?? 0) / 1048576) * 10) / 10;
      const sample: Sample = {
        minute,
        at: new Date().toISOString(),
        loadavg1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
        requests,
        errors,
        routes,
        rssMb: rss,
        openWorkflows,
        postgresMb: Object.fromEntries(tables.rows.map((r) => [r.name, r.mb])),
        redisMb,
      };
      samples.push(sample);
      appendFileSync(samplesFile, `${JSON.stringify(sample)}\n`);
      log(`minute ${minute}: ${requests} requests, ${errors} errors, rss ${JSON.stringify(rss)}, open wf ${openWorkflows}`);
    }
    for (const stop of stops) stop();
    running = false;
    await Promise.race([Promise.allSettled([...inFlightTasks]), sleep(90_000)]);
    const v = verdict(samples, WARMUP_MINUTES);
    appendFileSync(samplesFile, `${JSON.stringify({ verdict: v })}\n`);
    console.log(JSON.stringify({ soak: 'verdict', minutes: MINUTES, warmupMinutes: WARMUP_MINUTES, orderRate, capacity, ...v }));
    plot(samplesFile, path.join(out, 'soak.png'));
    process.exitCode = v.pass ? 0 : 1;
  } finally {
    redis.disconnect();
    await temporal.close();
    await stack.stop();
  }
}

/** Draws the curves with matplotlib from .tools/ (installed there on first use). */
function plot(samplesFile: string, png: string) {
  const py = path.join(PROJECT_ROOT, '.tools/bin/python');
  try {
    execFileSync(py, ['-c', 'import matplotlib'], { stdio: 'ignore' });
  } catch {
    log('installing matplotlib into .tools/ (once)');
    execFileSync(path.join(PROJECT_ROOT, '.tools/bin/pip'), ['install', '--quiet', '--disable-pip-version-check', 'matplotlib==3.10.*'], {
      stdio: 'inherit',
    });
  }
  execFileSync(py, [path.join(PROJECT_ROOT, 'test/soak/plot.py'), samplesFile, png], { stdio: 'inherit' });
  if (existsSync(png)) log(`curves: ${png}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
