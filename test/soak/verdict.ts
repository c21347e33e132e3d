/** The soak's pass criteria (issue 13), its steady-state check and its slopes, from the per-minute samples. */
import { median, percentile } from '../../bench/support';
import type { HeapStats } from './proc-stats';
import type { TemporalStats } from './temporal-stats';

export interface Sample {
  minute: number;
  at: string;
  loadavg1m: number;
  /**
   * The whole box's CPU over the minute: busy, and stolen by the hypervisor (absent in older runs);
   * `byProcessPct`: each stack process's, the machine's Postgres's and the soak driver's, in percent
   * of one core (absent before run 8).
   */
  cpu?: { busyPct: number; stealPct: number; byProcessPct?: Record<string, number> };
  requests: number;
  errors: number;
  /** `ms`: the minute's latencies (runs since the windowed p99; older samples have only p50/p99). */
  routes: Record<string, { n: number; p50: number; p99: number; errors: number; ms?: number[] }>;
  rssMb: Record<string, number>;
  /** V8 heaps of the Node processes (test/soak/heap-probe.cjs); absent in runs before it existed. */
  heapMb?: Record<string, HeapStats>;
  openWorkflows: number;
  /** The Temporal dev server's Go heap and mutable-state cache fill (temporal-stats.ts), when its metrics were found. */
  temporal?: TemporalStats;
  /** Orders accepted, delivered, cancelled, stuck this minute; being driven at the sample; place → delivered ms. */
  pipeline?: { accepted: number; delivered: number; cancelled: number; stuck: number; inFlight: number; e2eP50: number; e2eP99: number };
  postgresMb: Record<string, number>;
  redisMb: number;
}

export interface Verdict {
  pass: boolean;
  failures: string[];
  /**
   * Whether the traffic reached a steady state after the warm-up: open workflows flat (and no
   * order stuck). Not one of the issue's criteria, but without it growth measures the backlog,
   * not a leak — the verdict says so.
   */
  steady: { flat: boolean; openWorkflowsPerMin: number; openWorkflowsFirst: number; openWorkflowsLast: number; stuckOrders: number };
  /** Least-squares slope per minute after the warm-up: RSS (MB/min) per process, p99 (ms/min) per route. */
  slopes: {
    rssMbPerMin: Record<string, number>;
    heapAfterGcMbPerMin: Record<string, number>;
    p99MsPerMin: Record<string, number>;
    redisMbPerMin: number;
    openWorkflowsPerMin: number;
  };
  rssGrowthPct: Record<string, number>;
  /** Live heap (after major GC) growth after the warm-up, MB, and per order accepted in that window, KB. */
  heapGrowth: Record<string, { mb: number; kbPerOrder: number }>;
  /** Temporal's Go heap and mutable-state cache entries after the warm-up (medians of 3), when sampled. */
  temporal?: { goHeapMb: { first: number; last: number }; cacheEntries: { first: number; last: number }; cacheCapacity: number };
  /** Worst p99 window after the warm-up ÷ the first window, per route with enough requests. */
  p99Ratio: Record<string, number>;
  /** Routes with too few requests for two p99 windows (reported, not judged), and how many they had. */
  p99Unjudged: Record<string, number>;
  errorRate: number;
  summary: string;
}

function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? Math.round((num / den) * 1000) / 1000 : 0;
}

/**
 * Start and end level of a series after the warm-up: the median of its first 3 and of its last 3
 * samples (fewer when the window is short). One sample each would make a single reading taken
 * in the middle of a GC cycle, a Meilisearch mmap page-in or a burst of orders decide the
 * verdict; the median of three keeps the criterion (growth over the run after warm-up) and drops
 * the one-minute spikes.
 */
export function levels(values: number[]): { first: number; last: number } {
  if (!values.length) return { first: 0, last: 0 };
  const k = Math.max(1, Math.min(3, Math.floor(values.length / 2)));
  return { first: median(values.slice(0, k)), last: median(values.slice(-k)) };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile of unsorted values (the benchmarks' one definition, bench/support.ts); 0 when empty. */
export function pct(xs: readonly number[], p: number): number {
  return xs.length
    ? percentile(
        [...xs].sort((a, b) => a - b),
        p,
      )
    : 0;
}

/**
 * A p99 needs requests: over n requests it is the ⌈n/100⌉-th slowest, so over one minute of a
 * route at 120 calls it is the slowest but one, and one stalled request (a GC pause, a busy core)
 * decides it. Two 30-minute runs on main failed that way: cancel (1–10 calls a minute, its
 * "p99" its slowest call) against per-minute p99s, then list (120 a minute) against windows of
 * 100 requests — 158 ms in minute 17 against 99 ms in minute 1, its two slowest calls of 120,
 * while its p99 trend over the run was −0.16 ms/min. So the criterion compares p99s of windows
 * of consecutive minutes holding at least 500 requests: five beyond the p99 (about 1½ minutes of
 * product pages, 4 of lists, 8 of orders). A route without a full window before and after the
 * warm-up is reported, not judged (`p99Unjudged`).
 */
export const P99_MIN_REQUESTS = 500;

/**
 * The route's p99 over windows of ≥ P99_MIN_REQUESTS requests: the first window (from the first
 * sampled minute: the issue's baseline) and every window after the warm-up (a window still short
 * at the end of the run is merged into the one before). `requests` only, when the route had too
 * few for a baseline window and a full one after the warm-up: its p99 cannot be compared. Undefined
 * when the samples carry no latencies (runs before this), and the verdict falls back to per-minute
 * p99s.
 */
export function p99Windows(
  samples: readonly Sample[],
  route: string,
  warmupMinutes: number,
): { base: number; after: number[] } | { requests: number } | undefined {
  const minutes = samples.filter((s) => s.routes[route]);
  if (!minutes.length || minutes.some((s) => !s.routes[route]?.ms)) return undefined;
  const windows = (from: readonly Sample[]): number[][] => {
    const out: number[][] = [];
    let current: number[] = [];
    for (const s of from) {
      current = current.concat(s.routes[route]?.ms ?? []);
      if (current.length >= P99_MIN_REQUESTS) {
        out.push(current);
        current = [];
      }
    }
    if (current.length && out.length) out[out.length - 1] = (out[out.length - 1] as number[]).concat(current);
    return out;
  };
  const p99 = (ms: number[]) => pct(ms, 99);
  const first = windows(minutes)[0];
  const after = windows(minutes.filter((s) => s.minute > warmupMinutes));
  if (!first || !after.length) return { requests: minutes.reduce((n, s) => n + (s.routes[route]?.ms?.length ?? 0), 0) };
  return { base: p99(first), after: after.map(p99) };
}

/** The warm-up the criteria skip: 5 minutes, a third of a shorter run. */
export function warmupMinutesFor(minutes: number): number {
  return Math.min(5, Math.max(1, Math.floor(minutes / 3)));
}

export function verdict(samples: readonly Sample[], warmupMinutes: number): Verdict {
  const failures: string[] = [];
  // Growth is measured from the end of the warm-up (issue 13: "after a 5-minute warm-up"):
  // V8 growing its heap to the working size, JIT code, Meilisearch mapping its index and the
  // worker's workflow cache filling to the plateau are start-up, not growth.
  const after = samples.filter((s) => s.minute > warmupMinutes);
  const rssGrowthPct: Record<string, number> = {};
  const rssMbPerMin: Record<string, number> = {};
  const heapAfterGcMbPerMin: Record<string, number> = {};
  const heapGrowth: Record<string, { mb: number; kbPerOrder: number }> = {};
  const p99Ratio: Record<string, number> = {};
  const p99Unjudged: Record<string, number> = {};
  const p99MsPerMin: Record<string, number> = {};
  const ordersAfter = after.slice(1).reduce((n, s) => n + (s.pipeline?.accepted ?? 0), 0);
  if (after.length > 0) {
    for (const name of Object.keys(after[0]?.rssMb ?? {})) {
      const { first, last } = levels(after.map((s) => s.rssMb[name] ?? 0));
      rssGrowthPct[name] = first ? Math.round(((last - first) / first) * 1000) / 10 : 0;
      rssMbPerMin[name] = slope(after.map((s) => [s.minute, s.rssMb[name] ?? 0]));
      if (rssGrowthPct[name] > 10) failures.push(`${name} RSS grew ${rssGrowthPct[name]}%`);
    }
    for (const name of Object.keys(after[0]?.heapMb ?? {})) {
      const series = after.map((s) => s.heapMb?.[name]?.heapAfterGcMb ?? 0);
      const { first, last } = levels(series);
      heapAfterGcMbPerMin[name] = slope(after.map((s) => [s.minute, s.heapMb?.[name]?.heapAfterGcMb ?? 0]));
      heapGrowth[name] = { mb: round1(last - first), kbPerOrder: ordersAfter ? round1(((last - first) * 1024) / ordersAfter) : 0 };
    }
  }
  if (samples.length > 0) {
    // Every route seen; a route's baseline is its first sampled minute (ship/deliver start later),
    // or, when the minutes carry their latencies, its first window of at least P99_MIN_REQUESTS.
    const routes = new Set(samples.flatMap((s) => Object.keys(s.routes)));
    for (const route of routes) {
      const windowed = p99Windows(samples, route, warmupMinutes);
      p99MsPerMin[route] = slope(after.map((s) => [s.minute, s.routes[route]?.p99 ?? 0]));
      if (windowed && 'requests' in windowed) {
        p99Unjudged[route] = windowed.requests;
        continue;
      }
      const base = windowed ? windowed.base : (samples.find((s) => s.routes[route])?.routes[route]?.p99 ?? 0);
      const worst = windowed ? Math.max(0, ...windowed.after) : Math.max(...after.map((s) => s.routes[route]?.p99 ?? 0));
      p99Ratio[route] = base ? Math.round((worst / base) * 100) / 100 : 0;
      if (base && worst > 1.5 * base) failures.push(`${route} p99 ${worst} ms > 1.5 × ${base} ms`);
    }
  }
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const errorRate = requests ? errors / requests : 0;
  if (errorRate >= 0.001) failures.push(`error rate ${(errorRate * 100).toFixed(3)}%`);

  // Steady state: open workflows after the warm-up end within 10% (or 10 workflows) of where
  // they started, and every order reached its end.
  const open = levels(after.map((s) => s.openWorkflows));
  const openWorkflowsPerMin = slope(after.map((s) => [s.minute, s.openWorkflows]));
  const stuckOrders = samples.reduce((n, s) => n + (s.pipeline?.stuck ?? 0), 0);
  const flat = after.length > 0 && open.last - open.first <= Math.max(10, 0.1 * open.first) && stuckOrders === 0;
  const pass = failures.length === 0;
  const steadyText = flat
    ? `steady state held (open workflows ${open.first} → ${open.last}, ${openWorkflowsPerMin}/min, no order stuck): the growth figures measure the processes, not a backlog`
    : `NO steady state (open workflows ${open.first} → ${open.last}, ${openWorkflowsPerMin}/min, ${stuckOrders} orders stuck): the traffic built a backlog, so memory and latency growth partly measure it — the run does not settle the leak question`;
  const unjudged = Object.entries(p99Unjudged).map(([route, n]) => `${route} (${n})`);
  const unjudgedText = unjudged.length
    ? `; p99 not compared for ${unjudged.join(', ')}: fewer requests than a baseline window and one after the warm-up need (${P99_MIN_REQUESTS} each)`
    : '';
  const summary = `soak verdict: ${pass ? 'PASS' : `FAIL (${failures.join('; ')})`}; ${steadyText}${unjudgedText}`;
  const withTemporal = after.filter((s) => s.temporal);
  const temporal = withTemporal.length
    ? {
        goHeapMb: levels(withTemporal.map((s) => s.temporal?.goHeapMb ?? 0)),
        cacheEntries: levels(withTemporal.map((s) => s.temporal?.mutableStateCacheEntries ?? 0)),
        cacheCapacity: withTemporal[0]?.temporal?.mutableStateCacheCapacity ?? -1,
      }
    : undefined;
  return {
    pass,
    failures,
    steady: { flat, openWorkflowsPerMin, openWorkflowsFirst: open.first, openWorkflowsLast: open.last, stuckOrders },
    slopes: {
      rssMbPerMin,
      heapAfterGcMbPerMin,
      p99MsPerMin,
      redisMbPerMin: slope(after.map((s) => [s.minute, s.redisMb])),
      openWorkflowsPerMin,
    },
    rssGrowthPct,
    heapGrowth,
    ...(temporal ? { temporal } : {}),
    p99Ratio,
    p99Unjudged,
    errorRate,
    summary,
  };
}
