/**
 * Readiness: each dependency checked in parallel with its own deadline, so one dead dependency
 * reports `down` in about a second instead of hanging the probe.
 */
export type DependencyName = 'postgres' | 'redis' | 'temporal' | 'meilisearch';

export interface CheckResult {
  status: 'ok' | 'down';
  latencyMs: number;
  error?: string;
}

export type Checker = () => Promise<unknown>;

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkAll(
  checkers: Partial<Record<DependencyName, Checker>>,
  timeoutMs = 1_500,
): Promise<{ ok: boolean; checks: Partial<Record<DependencyName, CheckResult>> }> {
  const entries = await Promise.all(
    Object.entries(checkers).map(async ([name, check]) => {
      const started = performance.now();
      try {
        await withTimeout(Promise.resolve().then(check), timeoutMs, name);
        return [name, { status: 'ok', latencyMs: Math.round(performance.now() - started) }] as const;
      } catch (err) {
        // Only the message: no stack, host names are in the operator's config anyway.
        const message = err instanceof Error ? err.message : String(err);
        return [name, { status: 'down', latencyMs: Math.round(performance.now() - started), error: message.slice(0, 200) }] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries) as Partial<Record<DependencyName, CheckResult>>;
  return { ok: entries.every(([, r]) => r.status === 'ok'), checks };
}
