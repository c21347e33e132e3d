/** The soak verdict: growth after warm-up from medians of 3, the steady-state check, heap per order. */
import { levels, pct, type Sample, verdict } from './verdict';

function sample(minute: number, over: Partial<Sample> = {}): Sample {
  return {
    minute,
    at: new Date(minute * 60_000).toISOString(),
    loadavg1m: 1,
    requests: 1000,
    errors: 0,
    routes: { product: { n: 300, p50: 5, p99: 20, errors: 0 } },
    rssMb: { worker: 300 },
    heapMb: { worker: { heapUsedMb: 120, heapAfterGcMb: 100, threadsHeapAfterGcMb: 40, externalMb: 5 } },
    openWorkflows: 50,
    pipeline: { accepted: 60, delivered: 60, cancelled: 0, stuck: 0, inFlight: 10, e2eP50: 4000, e2eP99: 8000 },
    postgresMb: {},
    redisMb: 1,
    ...over,
  };
}

describe('soak verdict', () => {
  it('takes the median of the first and last three samples', () => {
    expect(levels([10, 50, 12, 11, 13, 90, 14, 15])).toEqual({ first: 12, last: 15 });
    expect(levels([10, 20])).toEqual({ first: 10, last: 20 });
  });

  it('ignores the warm-up and a one-minute spike, but fails on RSS growth that lasts', () => {
    const warm = [1, 2, 3, 4, 5].map((m) => sample(m, { rssMb: { worker: 150 + m * 30 } }));
    const flatWithSpike = [6, 7, 8, 9, 10, 11, 12].map((m) => sample(m, { rssMb: { worker: m === 12 ? 400 : 300 } }));
    const v = verdict([...warm, ...flatWithSpike], 5);
    expect(v.rssGrowthPct.worker).toBe(0);
    expect(v.pass).toBe(true);

    const growing = [6, 7, 8, 9, 10, 11, 12].map((m) => sample(m, { rssMb: { worker: 300 + (m - 6) * 10 } }));
    const g = verdict([...warm, ...growing], 5);
    expect(g.rssGrowthPct.worker).toBe(12.9); // 300…360: median of the first 3 (310) → of the last 3 (350)
    expect(g.failures).toEqual(['worker RSS grew 12.9%']);
  });

  it('reports whether open workflows stayed flat, and says the run is not meaningful when they did not', () => {
    const flat = verdict(
      [1, 2, 3, 4, 5, 6, 7, 8].map((m) => sample(m, { openWorkflows: 50 + (m % 2) })),
      2,
    );
    expect(flat.steady.flat).toBe(true);
    expect(flat.summary).toMatch(/^soak verdict: PASS; steady state held/);

    const backlog = verdict(
      [1, 2, 3, 4, 5, 6, 7, 8].map((m) => sample(m, { openWorkflows: 50 * m })),
      2,
    );
    expect(backlog.steady.flat).toBe(false);
    expect(backlog.slopes.openWorkflowsPerMin).toBe(50);
    expect(backlog.pass).toBe(true); // not one of the criteria…
    expect(backlog.summary).toMatch(/NO steady state .* does not settle the leak question/); // …but the verdict says so
  });

  it('puts live-heap growth per order accepted after the warm-up', () => {
    const s = [1, 2, 3, 4, 5, 6, 7].map((m) =>
      sample(m, { heapMb: { worker: { heapUsedMb: 0, heapAfterGcMb: 100 + m, threadsHeapAfterGcMb: 0, externalMb: 0 } } }),
    );
    const v = verdict(s, 1); // after: minutes 2..7; first 3 → 103, last 3 → 106; orders after the first: 5 × 60
    expect(v.heapGrowth.worker).toEqual({ mb: 3, kbPerOrder: 10.2 });
  });

  it('fails on p99 over 1.5× the first minute and on errors from 0.1%', () => {
    const s = [1, 2, 3].map((m) => sample(m, { routes: { product: { n: 300, p50: 5, p99: m === 3 ? 31 : 20, errors: 0 } } }));
    s[1] = { ...(s[1] as Sample), errors: 3 };
    expect(verdict(s, 1).failures).toEqual(['product p99 31 ms > 1.5 × 20 ms', 'error rate 0.100%']);
  });

  it('takes p99s over windows of 500+ requests: two slow calls in a minute are not a p99, a slower route is; a quiet route is reported, not judged', () => {
    // list: 120 calls a minute around 10 ms; minute 17 has two calls of 158 and 179 ms (the second run on main).
    const calls = (minute: number, n: number, ms: number) =>
      Array.from({ length: n }, (_, i) => (minute === 17 && i < 2 ? 158 + i * 21 : ms + (i % 10)));
    const run = (slowFrom: number) =>
      Array.from({ length: 30 }, (_, i) => i + 1).map((m) => {
        const list = calls(m, 120, m >= slowFrom ? 40 : 10);
        const cancel = calls(m, 7, 100);
        const route = (ms: number[]) => ({ n: ms.length, p50: 0, p99: pct(ms, 99), errors: 0, ms });
        return sample(m, { routes: { list: route(list), cancel: route(cancel) } });
      });
    const ok = verdict(run(99), 5);
    expect(ok.failures).toEqual([]);
    expect(ok.p99Ratio.list).toBeLessThan(1.5);
    expect(ok.p99Unjudged).toEqual({ cancel: 210 });
    expect(ok.summary).toContain('p99 not compared for cancel (210)');
    // The same samples judged minute by minute (no latencies kept: runs before the windows) fail on both.
    const perMinute = run(99).map((s) => ({
      ...s,
      routes: Object.fromEntries(Object.entries(s.routes).map(([r, v]) => [r, { ...v, ms: undefined }])),
    }));
    expect(verdict(perMinute, 5).failures).toEqual(['list p99 158 ms > 1.5 × 19 ms', 'cancel p99 179 ms > 1.5 × 106 ms']);
    // A route that really got slower fails in its windows too.
    expect(verdict(run(20), 5).failures).toEqual([expect.stringMatching(/^list p99 49 ms > 1\.5 × 19 ms$/)]);
  });
});
