/**
 * Keeps a stack process running the way compose's `restart: unless-stopped` does: when it exits
 * on its own it is started again after a backoff (1 s, doubling to 30 s; back to 1 s once it has
 * stayed up a minute), and each restart is logged. Only `stop()` — Ctrl-C — ends it for good.
 */
import type { ManagedProcess } from './processes';

export interface SupervisedProcess {
  name: string;
  /** The process running now (a new one after each restart). */
  current(): ManagedProcess;
  /** How many times it has been restarted. */
  restarts(): number;
  /** Resolves when the next process after `p` is running (for tests and the chaos runner). */
  nextStart(): Promise<ManagedProcess>;
  stop(timeoutMs?: number): Promise<void>;
}

export interface SuperviseOptions {
  log: (msg: string) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A process that ran at least this long counts as healthy: the backoff starts over. */
  healthyAfterMs?: number;
}

export function supervise(name: string, start: () => ManagedProcess, opts: SuperviseOptions): SupervisedProcess {
  const initial = opts.initialDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 30_000;
  const healthyAfter = opts.healthyAfterMs ?? 60_000;
  let stopped = false;
  let delay = initial;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  let proc: ManagedProcess;
  let waiters: Array<(p: ManagedProcess) => void> = [];

  const launch = () => {
    const startedAt = Date.now();
    proc = start();
    const mine = proc;
    for (const w of waiters.splice(0)) w(mine);
    void mine.exited.then((code) => {
      if (stopped) return;
      if (Date.now() - startedAt >= healthyAfter) delay = initial;
      const signal = mine.child.signalCode;
      opts.log(
        `${name} exited (${signal ? `signal ${signal}` : `code ${code}`})${mine.logFile ? `; see ${mine.logFile}` : ''}. Restarting in ${(delay / 1000).toFixed(1)} s`,
      );
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped) return;
        restarts++;
        launch();
        opts.log(`${name} restarted (restart ${restarts}, pid ${proc.child.pid})`);
      }, delay);
      delay = Math.min(max, delay * 2);
    });
  };
  launch();

  return {
    name,
    current: () => proc,
    restarts: () => restarts,
    nextStart: () => new Promise((resolve) => waiters.push(resolve)),
    async stop(timeoutMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      waiters = [];
      await proc.stop(timeoutMs);
    },
  };
}
