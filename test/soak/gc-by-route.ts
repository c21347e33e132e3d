/**
 * `npm run soak:gc`: the API's young-generation GC by kind of traffic, for two APIs side by side
 * on one chaos stack — one with its Temporal client on the SDK's core (API_TEMPORAL_TRANSPORT
 * native, the default), one on grpc-js — each request sent to both, in alternating order, so both
 * see the same moments of the machine. Phases of GC_PHASE_S seconds (60) with the soak's mix at
 * GC_RATE orders/s (1.2): browsing alone, shipping quotes alone, placements alone, whole orders,
 * everything. Per phase and API one JSON line from the API's `--trace-gc-nvp` output: scavenges,
 * mark-compacts, MB allocated, % of it surviving a scavenge, MB promoted to the old generation,
 * total and longest scavenge pause, mark-compact pause total, and CPU seconds of the process.
 * Compare the two in browse, rates and place: in order and all, the carrier sandbox posts every
 * tracking webhook (both APIs' orders) to the stack's own API, the native one, which so does more.
 *
 * Why: the soak's product page p99 follows the API's GC pauses; with the traffic that calls
 * Temporal, a sixth of what the API allocated survived its scavenges (temporal/native-connection.ts
 * says why). Numbers are reported, not asserted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printLoadavg } from '../../bench/support';
import { PROJECT_ROOT } from '../../stack/binaries';
import { freePort, type ManagedProcess, sleep, startProcess } from '../../stack/processes';
import { CHAOS_STACK_ENV } from '../chaos/settings';
import { type ChaosStack, startChaosStack } from '../chaos/stack';
import { newOrderRequest, placeWithRetries } from '../chaos/storefront';
import { driveOrder, OrderWatch } from './pipeline';
import { cpuSeconds } from './proc-stats';
import { type BrowseRoute, browseRequests, MIX_PER_ORDER } from './traffic';

const RATE = Number(process.env.GC_RATE ?? 1.2);
const PHASE_S = Number(process.env.GC_PHASE_S ?? 60);
const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
const log = (m: string) => console.error(`[soak:gc ${new Date().toISOString().slice(11, 19)}] ${m}`);

type Traffic = BrowseRoute | 'place' | 'order';
/** Requests per second of each kind, as multiples of RATE (the soak's mix per order). */
const { rates: _quotes, ...BROWSING } = MIX_PER_ORDER;
const PHASES: [string, Partial<Record<Traffic, number>>][] = [
  ['warm-up', { ...MIX_PER_ORDER, order: 1 }],
  ['browse', BROWSING],
  ['rates', { rates: 2 }],
  ['place', { place: 1 }],
  ['order', { order: 1 }],
  ['all', { ...MIX_PER_ORDER, order: 1 }],
];

async function get(url: string, init?: RequestInit): Promise<Response | undefined> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    await res.clone().text(); // read to the end; the order pipeline reads the answer's JSON itself
    return res;
  } catch {
    return undefined;
  }
}

/** One request of each kind against the API at `base`. */
function trafficFor(stack: ChaosStack, watch: OrderWatch, base: string): Record<Traffic, () => Promise<unknown>> {
  const skus = stack.skus.slice(4);
  const place = () => placeWithRetries(base, newOrderRequest(skus, 200), 60_000);
  return {
    ...browseRequests(base, skus, (_route, url, init) => get(url, init)),
    place,
    order: async () => {
      const o = await place();
      if (!o.orderId || (o.status !== 201 && o.status !== 202)) return;
      await driveOrder(
        { ...stack, apiUrl: base },
        watch,
        { id: o.orderId, customerId: o.request.customerId },
        {
          shipDelayMs: 2_000,
          advanceGapMs: 1_000,
          fetch: (_route, url, init) => get(url, init),
          isRunning: () => true,
          cancel: Math.random() < 0.1,
        },
      );
    },
  };
}

/** Scavenges and mark-compacts in `--trace-gc-nvp` lines. */
function gcFigures(lines: string[]) {
  const num = (l: string, k: string) => Number(new RegExp(`\\b${k}=([0-9.]+)`).exec(l)?.[1] ?? 0);
  const s = lines.filter((l) => l.includes(' gc=s '));
  const mc = lines.filter((l) => l.includes(' gc=mc '));
  const sum = (ls: string[], k: string) => ls.reduce((a, l) => a + num(l, k), 0);
  const allocated = sum(s, 'allocated');
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    scavenges: s.length,
    markCompacts: mc.length,
    allocatedMb: round1(allocated / 1e6),
    survivedPct: round1((100 * sum(s, 'new_space_survived')) / (allocated || 1)),
    promotedMb: round1(sum(s, 'promoted') / 1e6),
    scavengeMs: round1(sum(s, 'pause')),
    longestScavengeMs: round1(Math.max(0, ...s.map((l) => num(l, 'pause')))),
    markCompactMs: round1(sum(mc, 'pause')),
  };
}

async function main() {
  const stack = await startChaosStack({ workers: 1, env: CHAOS_STACK_ENV, apiNodeArgs: ['--trace-gc-nvp'], log });
  const logs = path.join(stack.dir, 'logs');
  const port = await freePort();
  let grpcApi: ManagedProcess | undefined;
  try {
    grpcApi = startProcess('api-grpc-js', TSX, ['--trace-gc-nvp', 'api/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...stack.env, PORT: String(port), LOG_LEVEL: 'warn', API_TEMPORAL_TRANSPORT: 'grpc-js' },
      logDir: logs,
    });
    const grpcUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 120 && !(await get(`${grpcUrl}/healthz`))?.ok; i++) await sleep(1_000);
    const apis = [
      { name: 'native', url: stack.apiUrl, log: path.join(logs, 'api.log'), pid: () => stack.api.proc?.child.pid },
      { name: 'grpc-js', url: grpcUrl, log: path.join(logs, 'api-grpc-js.log'), pid: () => grpcApi?.child.pid },
    ];
    // CPU of each API's process group (tsx and the Node process it runs).
    const groups = Object.fromEntries(apis.map((a) => [a.name, { pgid: a.pid() as number }]));
    const watch = new OrderWatch(stack.db);
    const traffic = apis.map((a) => trafficFor(stack, watch, a.url));
    const lines = (file: string) => readFileSync(file, 'utf8').split('\n');
    printLoadavg('soak-gc', { phase: 'start', rate: RATE, phaseS: PHASE_S });
    let flip = false;
    for (const [phase, mix] of PHASES) {
      const timers = Object.entries(mix).map(([kind, share]) =>
        setInterval(
          () => {
            flip = !flip;
            const [a, b] = flip ? traffic : [...traffic].reverse();
            for (const t of [a, b]) t?.[kind as Traffic]().catch((err: unknown) => log(`${kind} failed: ${String(err)}`));
          },
          1000 / (RATE * (share as number)),
        ),
      );
      await sleep(10_000); // into the phase before counting
      const from = apis.map((a) => lines(a.log).length);
      const cpuFrom = cpuSeconds(groups);
      await sleep(PHASE_S * 1000);
      const cpuTo = cpuSeconds(groups);
      apis.forEach((a, i) => {
        const figures = gcFigures(lines(a.log).slice(from[i]));
        const cpuS = Math.round(((cpuTo[a.name] ?? 0) - (cpuFrom[a.name] ?? 0)) * 10) / 10;
        console.log(
          JSON.stringify({ bench: 'soak-gc', phase, api: a.name, perSecond: mix, rate: RATE, seconds: PHASE_S, ...figures, cpuS }),
        );
      });
      for (const t of timers) clearInterval(t);
      await sleep(15_000); // orders of the phase finish before the next one counts
    }
    printLoadavg('soak-gc', { phase: 'end' });
    watch.stop();
  } finally {
    await grpcApi?.stop();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
