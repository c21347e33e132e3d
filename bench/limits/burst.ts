/**
 * `npm run bench:limits`: what the rate limits and the concurrency caps do to abuse, with the
 * dev defaults (config/limits.ts). The API, a shipping worker, a Temporal dev server of its own
 * and the carrier sandbox (100 ms per call) run in a child process; this process only makes load.
 *
 * Cases (one JSON line each):
 *   detail-idle          product detail latency with nothing else going on (a steady prober)
 *   burst-400            400 product detail requests at once from one IP (127.0.0.1): statuses,
 *                        how long the burst took, and the prober's detail p99 meanwhile
 *   rates-200-one-ip     200 concurrent rate requests, distinct postal codes, from one IP
 *   rates-200-many-ips   the same from 200 addresses (127.0.0.10…209: every 127/8 address is
 *                        loopback on Linux), so only the concurrency cap applies
 * Each rates case reports statuses, the median latency, the quote workflows that reached the
 * carriers, and the prober's detail p99 meanwhile. The prober reads product detail from its own
 * address (127.0.0.2) every 10 ms with a storefront key (its own bucket: it measures, it is not
 * the abuser). Numbers are reported, not asserted; the load average is on every line.
 */
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import { loadavg } from 'node:os';

const DEV_STOREFRONT_KEY = 'dev-storefront-key';

function print(line: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'limits', ...line, loadavg: loadavg().map((l) => +l.toFixed(2)) })}\n`);
}

function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number).toFixed(1);
}

const agents = new Map<string, http.Agent>();
function agentFor(localAddress: string): http.Agent {
  let a = agents.get(localAddress);
  if (!a) {
    a = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, localAddress });
    agents.set(localAddress, a);
  }
  return a;
}

interface Answer {
  status: number;
  ms: number;
}

function send(
  base: string,
  path: string,
  opts: { from: string; method?: string; body?: string; headers?: Record<string, string> },
): Promise<Answer> {
  const url = new URL(path, base);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: agentFor(opts.from),
        headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...(opts.headers ?? {}) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.on('timeout', () => req.destroy());
    req.end(opts.body);
  });
}

/** Reads product detail every `everyMs` (at most 8 in flight) from 127.0.0.2 with a storefront key until stopped; returns the latencies. */
function startProber(api: string, sku: string, everyMs = 10) {
  const times: number[] = [];
  const statuses: Record<number, number> = {};
  let stopped = false;
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    // At most 8 probes in flight: on a starved machine the prober must not become load itself.
    if (stopped || inflight.size >= 8) return;
    const p = send(api, `/v1/products/${sku}`, { from: '127.0.0.2', headers: { authorization: `Bearer ${DEV_STOREFRONT_KEY}` } }).then(
      (a) => {
        times.push(a.ms);
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      },
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }, everyMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(inflight);
      return { samples: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: percentile(times, 100), statuses };
    },
  };
}

const count = (answers: Answer[]) => answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ServerInfo {
  api: string;
  sku: string;
  rateSkus: string[];
  deadlineMs: number;
}

function ask(child: ChildProcess, message: string): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    const onMessage = (m: { reply?: string; value?: Record<string, number> }) => {
      if (m.reply !== message) return;
      child.off('message', onMessage);
      resolve(m.value ?? {});
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function main() {
  const t0 = Date.now();
  const child = fork(require.resolve('./server'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const info = await new Promise<ServerInfo>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ServerInfo));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  print({ case: 'setup', ms: Date.now() - t0, deadlineMs: info.deadlineMs });
  try {
    // warm-up: caches, connections, JIT
    for (let i = 0; i < 20; i++) await send(info.api, `/v1/products/${info.sku}`, { from: '127.0.0.3' });

    const idle = startProber(info.api, info.sku);
    await sleep(3_000);
    print({ case: 'detail-idle', prober: await idle.stop() });

    await sleep(1_000);
    const prober = startProber(info.api, info.sku);
    await sleep(500);
    const started = performance.now();
    const burst = await Promise.all(Array.from({ length: 400 }, () => send(info.api, `/v1/products/${info.sku}`, { from: '127.0.0.1' })));
    const burstMs = performance.now() - started;
    await sleep(500);
    print({
      case: 'burst-400',
      requests: 400,
      statuses: count(burst),
      limited: burst.filter((a) => a.status === 429).length,
      burstMs: +burstMs.toFixed(0),
      p50: percentile(
        burst.map((a) => a.ms),
        50,
      ),
      prober: await prober.stop(),
    });

    let seq = 0;
    const ratesBody = () => {
      seq++;
      return JSON.stringify({
        destination: { country: 'US', postalCode: String(10_000 + seq), city: `bench-${seq}` },
        items: [{ sku: info.rateSkus[seq % info.rateSkus.length], quantity: 1 + (seq % 3) }],
      });
    };
    for (const variant of ['one-ip', 'many-ips'] as const) {
      await sleep(11_000); // a fresh rate-limit window and idle workers
      const before = await ask(child, 'stats');
      const p = startProber(info.api, info.sku);
      await sleep(300);
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          send(info.api, '/v1/shipping/rates', {
            from: variant === 'one-ip' ? '127.0.0.1' : `127.0.0.${10 + i}`,
            method: 'POST',
            body: ratesBody(),
          }),
        ),
      );
      const after = await ask(child, 'stats');
      const ok = answers.filter((a) => a.status === 200).map((a) => a.ms);
      print({
        case: `rates-200-${variant}`,
        requests: 200,
        statuses: count(answers),
        medianMs: percentile(
          answers.map((a) => a.ms),
          50,
        ),
        p99Ms: percentile(
          answers.map((a) => a.ms),
          99,
        ),
        ok200MedianMs: percentile(ok, 50),
        ok200MaxMs: percentile(ok, 100),
        quoteWorkflowsAtCarriers: (after.swiftship ?? 0) - (before.swiftship ?? 0),
        prober: await p.stop(),
      });
    }
  } finally {
    await ask(child, 'stop').catch(() => undefined);
    child.kill('SIGTERM');
    for (const a of agents.values()) a.destroy();
  }
  print({ case: 'done', ms: Date.now() - t0 });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
