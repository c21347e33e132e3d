/**
 * Where the Temporal server spends its time: the dev server's Prometheus metrics (its URL is in
 * the server's log), scraped before and after a run. `persistence_latency` per operation shows how
 * much of each order is the single SQLite connection; `service_latency` per RPC the frontend side.
 */
import { readFileSync } from 'node:fs';

export type MetricTotals = Map<string, { sum: number; count: number }>;

export function metricsUrlFromLog(logFile: string | undefined): string | undefined {
  if (!logFile) return undefined;
  try {
    const m = /Temporal Metrics:\s+(http:\/\/\S+\/metrics)/.exec(readFileSync(logFile, 'utf8'));
    return m?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Fetches a Prometheus text page and sums its histograms' `_sum` and `_count` lines under the key
 * `keyOf` gives each (undefined: skip the line). Nothing is scraped when the page cannot be read.
 */
async function scrapeHistograms(
  url: string | undefined,
  keyOf: (line: string) => { key: string; part: 'sum' | 'count'; value: number } | undefined,
): Promise<MetricTotals> {
  const out: MetricTotals = new Map();
  if (!url) return out;
  let text: string;
  try {
    text = await (await fetch(url, { signal: AbortSignal.timeout(3_000) })).text();
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const hit = keyOf(line);
    if (!hit) continue;
    const cur = out.get(hit.key) ?? { sum: 0, count: 0 };
    cur[hit.part] += hit.value;
    out.set(hit.key, cur);
  }
  return out;
}

/** `${metric}|${operation}` → summed seconds and count (histograms' _sum and _count). */
export function scrape(url: string | undefined, metrics = ['persistence_latency', 'service_latency']): Promise<MetricTotals> {
  return scrapeHistograms(url, (line) => {
    const m = /^([a-z_]+)_(sum|count)\{(.*)\} ([0-9.eE+-]+)$/.exec(line);
    if (!m || !metrics.includes(m[1] as string)) return undefined;
    const op = /operation="([^"]+)"/.exec(m[3] as string)?.[1] ?? '?';
    return { key: `${m[1]}|${op}`, part: m[2] as 'sum' | 'count', value: Number(m[4]) };
  });
}

/** The top operations by total time between two scrapes, per order (ms and calls). */
export function topOperations(before: MetricTotals, after: MetricTotals, perUnits: number, n = 10) {
  const rows: Array<{ metric: string; operation: string; msPerOrder: number; callsPerOrder: number; avgMs: number }> = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { sum: 0, count: 0 };
    const sum = a.sum - b.sum;
    const count = a.count - b.count;
    if (count <= 0) continue;
    const [metric, operation] = key.split('|') as [string, string];
    // Temporal reports these histograms in seconds (Prometheus convention) or ms; normalise to ms.
    const ms = sum < count * 0.5 ? sum * 1000 : sum;
    rows.push({
      metric,
      operation,
      msPerOrder: Math.round((ms / perUnits) * 10) / 10,
      callsPerOrder: Math.round((count / perUnits) * 10) / 10,
      avgMs: Math.round((ms / count) * 100) / 100,
    });
  }
  const by = (metric: string) =>
    rows
      .filter((r) => r.metric === metric)
      .sort((x, y) => y.msPerOrder - x.msPerOrder)
      .slice(0, n);
  return { persistence: by('persistence_latency'), service: by('service_latency') };
}

/**
 * The worker's side (core SDK metrics, `temporal_*` histograms in ms): workflow task execution and
 * schedule-to-start, local activity execution, and `temporal_request_latency` per RPC as the
 * worker saw it. Keys are `${metric}|${operation or activity type}`.
 */
export function scrapeSdk(url: string): Promise<MetricTotals> {
  return scrapeHistograms(url, (line) => {
    const m = /^temporal_([a-z_]+?)(?:_milliseconds)?_(sum|count)\{(.*)\} ([0-9.eE+-]+)$/.exec(line);
    if (!m) return undefined;
    const sub = /(?:^|,)(?:operation|activity_type|workflow_type)="([^"]+)"/.exec(m[3] as string)?.[1] ?? '';
    return { key: `${m[1]}|${sub}`, part: m[2] as 'sum' | 'count', value: Number(m[4]) };
  });
}

/** Per order: calls and average ms of each worker-side latency histogram that moved. */
export function sdkLatencies(before: MetricTotals, after: MetricTotals, perUnits: number) {
  const rows: Array<{ metric: string; callsPerOrder: number; avgMs: number }> = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { sum: 0, count: 0 };
    const count = a.count - b.count;
    if (count <= 0) continue;
    rows.push({
      metric: key.replace(/\|$/, ''),
      callsPerOrder: Math.round((count / perUnits) * 10) / 10,
      avgMs: Math.round(((a.sum - b.sum) / count) * 10) / 10,
    });
  }
  return rows.sort((x, y) => y.callsPerOrder * y.avgMs - x.callsPerOrder * x.avgMs).slice(0, 40);
}
