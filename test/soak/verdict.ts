/** The soak's pass criteria (issue 13) and its slopes, from the per-minute samples. */
export interface Sample {
  minute: number;
  at: string;
  loadavg1m: number;
  requests: number;
  errors: number;
  routes: Record<string, { n: number; p50: number; p99: number; errors: number }>;
  rssMb: Record<string, number>;
  openWorkflows: number;
  postgresMb: Record<string, number>;
  redisMb: number;
}

export interface Verdict {
  pass: boolean;
  failures: string[];
  /** Least-squares slope per minute after the warm-up: RSS (MB/min) per process, p99 (ms/min) per route. */
  slopes: { rssMbPerMin: Record<string, number>; p99MsPerMin: Record<string, number>; redisMbPerMin: number; openWorkflowsPerMin: number };
  rssGrowthPct: Record<string, number>;
  p99Ratio: Record<string, number>;
  errorRate: number;
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

export function verdict(samples: readonly Sample[], warmupMinutes: number): Verdict {
  const failures: string[] = [];
  const after = samples.filter((s) => s.minute > warmupMinutes);
  const first = after[0];
  const last = after[after.length - 1];
  const rssGrowthPct: Record<string, number> = {};
  const rssMbPerMin: Record<string, number> = {};
  const p99Ratio: Record<string, number> = {};
  const p99MsPerMin: Record<string, number> = {};
  if (first && last) {
    for (const name of Object.keys(first.rssMb)) {
      const a = first.rssMb[name] ?? 0;
      const b = last.rssMb[name] ?? 0;
      rssGrowthPct[name] = a ? Math.round(((b - a) / a) * 1000) / 10 : 0;
      rssMbPerMin[name] = slope(after.map((s) => [s.minute, s.rssMb[name] ?? 0]));
      if (rssGrowthPct[name] > 10) failures.push(`${name} RSS grew ${rssGrowthPct[name]}%`);
    }
  }
  const firstSampled = samples[0];
  if (firstSampled) {
    // Every route seen; a route's baseline is its first sampled minute (ship/deliver start later).
    const routes = new Set(samples.flatMap((s) => Object.keys(s.routes)));
    for (const route of routes) {
      const base = samples.find((s) => s.routes[route])?.routes[route]?.p99 ?? 0;
      const worst = Math.max(...after.map((s) => s.routes[route]?.p99 ?? 0));
      p99Ratio[route] = base ? Math.round((worst / base) * 100) / 100 : 0;
      p99MsPerMin[route] = slope(after.map((s) => [s.minute, s.routes[route]?.p99 ?? 0]));
      if (base && worst > 1.5 * base) failures.push(`${route} p99 ${worst} ms > 1.5 × ${base} ms`);
    }
  }
  const requests = samples.reduce((n, s) => n + s.requests, 0);
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const errorRate = requests ? errors / requests : 0;
  if (errorRate >= 0.001) failures.push(`error rate ${(errorRate * 100).toFixed(3)}%`);
  return {
    pass: failures.length === 0,
    failures,
    slopes: {
      rssMbPerMin,
      p99MsPerMin,
      redisMbPerMin: slope(after.map((s) => [s.minute, s.redisMb])),
      openWorkflowsPerMin: slope(after.map((s) => [s.minute, s.openWorkflows])),
    },
    rssGrowthPct,
    p99Ratio,
    errorRate,
  };
}
