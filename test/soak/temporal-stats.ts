/**
 * The Temporal dev server's own memory figures, from the Prometheus endpoint it opens on a random
 * port (the stack does not choose one): Go heap in use and how full the history service's
 * mutable-state cache is. That cache keeps every workflow it touched (completed ones included)
 * up to its capacity or TTL, so during a soak it fills steadily — bounded growth of Temporal's
 * memory that is not a leak, and this is how the soak tells the two apart.
 */
import { execFileSync } from 'node:child_process';

export interface TemporalStats {
  goHeapMb: number;
  mutableStateCacheEntries: number;
  mutableStateCacheCapacity: number;
}

/** The dev server's metrics URL: of the ports its process listens on, the one serving `cache_usage`. */
export async function findTemporalMetrics(pid: number): Promise<string | undefined> {
  let listing = '';
  try {
    listing = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  } catch {
    return undefined; // no ss here: the samples go without Temporal's figures
  }
  const ports = listing
    .split('\n')
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => /127\.0\.0\.1:(\d+)/.exec(l)?.[1])
    .filter((p): p is string => !!p);
  for (const port of ports) {
    const url = `http://127.0.0.1:${port}/metrics`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok && (await res.text()).includes('cache_usage{')) return url;
    } catch {
      // a gRPC or UI port
    }
  }
  return undefined;
}

function metric(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : undefined;
}

export async function temporalStats(url: string): Promise<TemporalStats | undefined> {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
    const mutableState = 'cache_type="mutablestate",service_name="history"';
    // All services run in one process: memory_heap is the same Go heap under each service name.
    const heap = metric(text, 'memory_heap', 'service_name="history"') ?? 0;
    return {
      goHeapMb: Math.round((heap / 1048576) * 10) / 10,
      mutableStateCacheEntries: metric(text, 'cache_usage', mutableState) ?? -1,
      mutableStateCacheCapacity: metric(text, 'cache_size', mutableState) ?? -1,
    };
  } catch {
    return undefined;
  }
}
