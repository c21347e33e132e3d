/**
 * The catalog benchmarks' servers (server.ts) in a child process of their own, so the load
 * generator does not share their event loop: started with extra Node flags when a bench compares
 * V8 settings, asked for its GC pauses, stopped.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

export interface ServerPorts {
  bare: number;
  cached: number;
  bypass: number;
  /** Size of the product detail the bare route answers. */
  bytes: number;
}

export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
  maxByKind: Record<string, number>;
}

export interface CatalogServer {
  ports: ServerPorts;
  pid: number | undefined;
  /** The GC pauses since the last ask. */
  gcPauses(): Promise<GcPauses>;
  stop(): Promise<void>;
}

export async function startCatalogServer(opts: {
  databaseUrl: string;
  sku: string;
  /** Node flags for the server process (e.g. --single-threaded-gc, --cpu-prof). */
  nodeArgs?: readonly string[];
  /** Distinguishes the Redis key prefixes of servers run side by side. */
  name?: string;
  /** Extra environment (e.g. BENCH_EXPRESS_LISTEN=1). */
  env?: Record<string, string>;
}): Promise<CatalogServer> {
  const child: ChildProcess = fork(path.join(__dirname, 'server.ts'), [], {
    execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])],
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      REDIS_KEY_PREFIX: `bench:catalog:${process.pid}:${opts.name ?? ''}:`,
      LOG_LEVEL: 'warn',
      BENCH_SKU: opts.sku,
      ...opts.env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ports = await Promise.race([
    reply<ServerPorts>(child, (m) => 'cached' in m),
    exited.then((code) => Promise.reject(new Error(`bench server exited with ${code}`))),
  ]);
  return {
    ports,
    pid: child.pid,
    async gcPauses() {
      const answer = reply<{ gc: GcPauses }>(child, (m) => 'gc' in m);
      child.send('gc');
      return (await answer).gc;
    },
    async stop() {
      child.send('stop');
      await exited;
    },
  };
}

/** The child's next IPC message that `matches`. */
function reply<T>(child: ChildProcess, matches: (m: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !matches(m as Record<string, unknown>)) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
  });
}
