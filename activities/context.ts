/**
 * The activity context of every area: logging that carries the workflow and activity ids,
 * heartbeats, cancellation and pauses. Activities also run outside a worker (tests and the
 * benchmarks call them as plain functions); these helpers use the activity context when there is
 * one, and the process logger (or nothing) otherwise.
 */
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import type { Logger } from '../observability/logger';

export function currentActivity(): Context | undefined {
  return asyncLocalStorage.getStore();
}

export function heartbeat(details?: unknown): void {
  currentActivity()?.heartbeat(details);
}

/** Throws the activity's CancelledFailure once it has been cancelled (e.g. worker shutdown). */
export async function throwIfCancelled(): Promise<void> {
  const ctx = currentActivity();
  if (ctx?.cancellationSignal.aborted) await ctx.cancelled;
}

/** Sleeps `ms`, waking early when the activity is cancelled. */
export function pause(ms: number): Promise<void> {
  const signal = currentActivity()?.cancellationSignal;
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Heartbeats every `everyMs` until the returned function is called, so long waits on Meilisearch
 * (a big indexing task) are not mistaken for a dead worker. Outside an activity: a no-op.
 */
export function keepHeartbeating(details: () => unknown, everyMs = 5_000): () => void {
  const ctx = currentActivity();
  if (!ctx) return () => {};
  const timer = setInterval(() => ctx.heartbeat(details()), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface ActivityLog {
  debug(msg: string, meta?: Record<string, unknown>): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

/** Logs through the activity context (which carries workflowId/activityId) or, outside a worker, pino. */
export function activityLog(deps: { logger: Logger }): ActivityLog {
  const at =
    (level: Level) =>
    (msg: string, meta: Record<string, unknown> = {}) => {
      const ctx = currentActivity();
      if (ctx) ctx.log[level](msg, meta);
      else deps.logger[level](meta, msg);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
