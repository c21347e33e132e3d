/**
 * A LISTEN on the outbox channel: the `outbox_notify` trigger (migration 0010) NOTIFYs `outbox`
 * once per inserting statement, delivered at commit. Shared by the consumers that wake on it (the
 * cache invalidator, the search sync); each still polls as a fallback, so a lost connection only
 * costs latency. While open, a lost or refused connection is retried every `retryMs`.
 */
import pg from 'pg';

export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxListenerOptions {
  databaseUrl: string;
  applicationName: string;
  /** Every notification. */
  onNotify: () => void;
  /** After each successful LISTEN (e.g. to catch up on rows committed while not listening). */
  onListening?: () => void;
  /** A connection lost ('lost') or not established ('connect'); only called while open. */
  onError: (err: unknown, phase: 'lost' | 'connect') => void;
  retryMs?: number;
}

export interface OutboxListener {
  close(): Promise<void>;
}

export function listenToOutbox(opts: OutboxListenerOptions): OutboxListener {
  const retryMs = opts.retryMs ?? 1_000;
  let open = true;
  let client: pg.Client | undefined;
  let stopRetryWait: (() => void) | undefined;

  async function hold(): Promise<void> {
    while (open) {
      const c = new pg.Client({ connectionString: opts.databaseUrl, application_name: opts.applicationName });
      client = c; // close() ends it even while it is still connecting
      let ended = false;
      const closed = new Promise<void>((resolve) => {
        c.once('end', () => {
          ended = true;
          resolve();
        });
        // Without an 'error' listener a dropped connection would crash the process — and a
        // reset socket can emit 'error' more than once (the chaos suite's Postgres cut killed
        // every worker through a `once` listener here), so the listener stays for the client's life.
        let reported = false;
        c.on('error', (err) => {
          if (open && !reported) opts.onError(err, 'lost');
          reported = true;
          resolve();
        });
      });
      try {
        await c.connect();
        c.on('notification', opts.onNotify);
        await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
        if (open) {
          opts.onListening?.();
          await closed;
        }
      } catch (err) {
        if (open) opts.onError(err, 'connect');
      }
      client = undefined;
      if (!ended) await c.end().catch(() => {});
      if (open) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryMs);
          stopRetryWait = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        stopRetryWait = undefined;
      }
    }
  }

  const holding = hold();
  return {
    async close() {
      open = false;
      stopRetryWait?.();
      await client?.end().catch(() => {});
      await holding;
    },
  };
}
