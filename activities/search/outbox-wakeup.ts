/**
 * Wakes an idle search sync as soon as an outbox row is committed: the `outbox_notify` trigger
 * (migration 0010) NOTIFYs channel `outbox` once per inserting statement, delivered at commit.
 * One LISTEN connection per sync activity run, closed with the run. Losing it (Postgres restart,
 * failover) only degrades to polling: `wait` always returns by `ms`, and a notification that
 * arrived while the run was busy is remembered, so nothing committed meanwhile waits a poll.
 */
import pg from 'pg';
import { currentActivity } from './activity-context';

export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxWakeup {
  /** Resolves on the next notification (or one already pending), after `ms`, or on cancellation. */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function listenForOutbox(databaseUrl: string, log: { warn(msg: string, meta?: Record<string, unknown>): void }): OutboxWakeup {
  let pending = false;
  let wake: (() => void) | undefined;
  let closed = false;
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'cathay-search-sync-listen' });
  const notified = () => {
    pending = true;
    wake?.();
  };
  // Without an 'error' listener a dropped connection would crash the worker; polling carries on.
  client.on('error', (err) => {
    if (!closed) log.warn('search sync: outbox LISTEN connection lost; polling until the next run', { err: String(err) });
  });
  client.on('notification', notified);
  const ready = client
    .connect()
    .then(() => client.query(`LISTEN ${OUTBOX_CHANNEL}`))
    .catch((err) => {
      if (!closed) log.warn('search sync: cannot LISTEN for outbox notifications; polling', { err: String(err) });
    });

  return {
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      const signal = currentActivity()?.cancellationSignal;
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          wake = undefined;
          pending = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    async close() {
      closed = true;
      wake?.();
      await ready;
      await client.end().catch(() => {});
    },
  };
}
