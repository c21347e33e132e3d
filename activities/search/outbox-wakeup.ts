/**
 * Wakes an idle search sync as soon as an outbox row is committed (the shared outbox LISTEN,
 * `db/outbox-listener.ts`). One listener per sync activity run, closed with the run. A lost
 * connection is re-established in the background and only degrades to polling meanwhile: `wait`
 * always returns by `ms`, and a notification that arrived while the run was busy is remembered,
 * so nothing committed meanwhile waits a poll.
 */
import { listenToOutbox } from '../../db/outbox-listener';
import { currentActivity } from '../context';

export interface OutboxWakeup {
  /** Resolves on the next notification (or one already pending), after `ms`, or on cancellation. */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function listenForOutbox(databaseUrl: string, log: { warn(msg: string, meta?: Record<string, unknown>): void }): OutboxWakeup {
  let pending = false;
  let wake: (() => void) | undefined;
  const listener = listenToOutbox({
    databaseUrl,
    applicationName: 'cathay-search-sync-listen',
    onNotify: () => {
      pending = true;
      wake?.();
    },
    onError: (err, phase) =>
      log.warn(
        phase === 'lost'
          ? 'search sync: outbox LISTEN connection lost; polling until it is back'
          : 'search sync: cannot LISTEN for outbox notifications; polling',
        { err: String(err) },
      ),
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
      wake?.();
      await listener.close();
    },
  };
}
