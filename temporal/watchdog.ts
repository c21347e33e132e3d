/**
 * Failing fast when Temporal is down, for the API's synchronous calls (order placement, order
 * commands). A gRPC call to a dead server retries until its deadline; the watchdog asks the
 * server's health service once the call has been quiet for WATCHDOG_MS and, if that fails too,
 * aborts — so a dead server costs ~2 s, not the whole synchronous window.
 */
import type { Client } from '@temporalio/client';
import { checkTemporal, type TemporalConnection } from './client';

/** How long a call may be quiet before its server's health is checked. */
export const WATCHDOG_MS = 800;

/** The watchdog's verdict: the call was aborted because the server's health check failed. */
export class TemporalUnreachable extends Error {
  constructor(cause: unknown) {
    super('temporal unreachable', { cause });
    this.name = 'TemporalUnreachable';
  }
}

/** One health check at a time per connection, its answer shared for a second (slow requests pile up under load). */
const healthChecks = new WeakMap<object, { at: number; result: Promise<void> }>();
export function temporalHealthy(conn: TemporalConnection): Promise<void> {
  const cached = healthChecks.get(conn);
  if (cached && Date.now() - cached.at < 1_000) return cached.result;
  const result = checkTemporal(conn, 1_000).then(() => undefined);
  result.catch(() => undefined);
  healthChecks.set(conn, { at: Date.now(), result });
  return result;
}

/**
 * Runs a Temporal call under `deadline`; if it has not answered after WATCHDOG_MS, a health check
 * (1 s) decides between "slow, keep waiting" and "unreachable": then the call is aborted and
 * `TemporalUnreachable` thrown.
 */
export async function withWatchdog<T>(conn: TemporalConnection, deadline: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ctrl = new AbortController();
  const call = conn.withAbortSignal(ctrl.signal, () => conn.withDeadline(deadline, fn));
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      temporalHealthy(conn).catch((err) => {
        reject(new TemporalUnreachable(err));
        // Stop the abandoned call (and its gRPC retries) now rather than at its deadline.
        ctrl.abort();
      });
    }, WATCHDOG_MS);
  });
  try {
    return await Promise.race([call, watchdog]);
  } finally {
    clearTimeout(timer);
    call.catch(() => undefined);
  }
}

/**
 * Whether the workflow can be described within `timeoutMs`: after a call ran out of time, tells
 * "started and still working" (answer with the state as it stands) from "Temporal is unreachable".
 */
export function workflowReachable(client: Client, conn: TemporalConnection, workflowId: string, timeoutMs = 1_000): Promise<boolean> {
  return conn
    .withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(workflowId).describe())
    .then(
      () => true,
      () => false,
    );
}
