/**
 * The chaos suite's own system: every process it can kill, on free ports, with data in a
 * directory of its own — a Postgres database created fresh (reached through a fault proxy so the
 * line can be cut), a redis-server, a Temporal dev server on a SQLite file, Meilisearch, the
 * sandboxes process (payment ledger journaled to a file), N workers and the API — each started,
 * killed and restarted by the scenario that injects the fault.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, type Db } from '../../db/connection';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { PROJECT_ROOT } from '../../stack/binaries';
import { startMeilisearch } from '../../stack/meilisearch';
import { freePort, httpOk, isPortOpen, type ManagedProcess, sleep, startProcess, waitFor } from '../../stack/processes';
import { startTemporalDevServer } from '../../stack/temporal-server';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { createProduct } from '../support/fixtures';
import { DEV_API_KEYS, LOCATIONS_DEFAULT } from './constants';

export interface Slot {
  name: string;
  proc: ManagedProcess | undefined;
  start(): Promise<void>;
  /** SIGKILL (default) or SIGTERM; waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  alive(): boolean;
}

export interface ChaosStack {
  dir: string;
  db: Db;
  apiUrl: string;
  paymentUrl: string;
  carrierUrl: string;
  mailUrl: string;
  env: NodeJS.ProcessEnv;
  pgProxy: FaultProxy;
  redis: Slot;
  temporal: Slot;
  meili: Slot;
  sandboxes: Slot;
  api: Slot;
  workers: Slot[];
  skus: { sku: string; stock: number }[];
  stop(): Promise<void>;
}

export interface StackOptions {
  workers?: number;
  /** Extra configuration for the API and the workers (e.g. shorter retry budgets). */
  env?: Record<string, string>;
  /** Node flags for the API process alone (e.g. V8 GC settings a soak compares). */
  apiNodeArgs?: readonly string[];
  /** Extra dynamic config of the Temporal dev server. */
  temporalDynamicConfig?: Readonly<Record<string, string | number>>;
  log?: (msg: string) => void;
}

const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');

function slot(name: string, launch: () => Promise<ManagedProcess>): Slot {
  const s: Slot = {
    name,
    proc: undefined,
    async start() {
      s.proc = await launch();
    },
    async kill(signal = 'SIGKILL') {
      const p = s.proc;
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
      try {
        process.kill(-(p.child.pid as number), signal);
      } catch {
        return;
      }
      if (signal === 'SIGKILL') await p.exited;
      else await Promise.race([p.exited, sleep(15_000).then(() => p.stop(1))]);
    },
    alive: () => !!s.proc && s.proc.child.exitCode === null && s.proc.child.signalCode === null,
  };
  return s;
}

/** Waits until `text` appears in a log file after `from` bytes. */
export async function waitForLog(file: string, text: string, from: number, timeoutMs: number, proc?: ManagedProcess): Promise<void> {
  await waitFor(
    `${path.basename(file)}: "${text}"`,
    async () => existsSync(file) && readFileSync(file, 'utf8').slice(from).includes(text),
    timeoutMs,
    proc,
  );
}

function logSize(file: string): number {
  return existsSync(file) ? readFileSync(file).length : 0;
}

const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;

export async function startChaosStack(opts: StackOptions = {}): Promise<ChaosStack> {
  const log = opts.log ?? (() => {});
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = path.join(PROJECT_ROOT, '.data/chaos', runId);
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });

  const [redisPort, temporalPort, temporalUi, meiliPort, apiPort, payPort, carrierPort, smtpPort, mailHttpPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const nWorkers = opts.workers ?? 1;
  const workerMetrics = await Promise.all(Array.from({ length: nWorkers }, () => freePort()));

  // Postgres: a fresh database, reached by the services through the fault proxy.
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/cathay_chaos_${runId}`;
  const directUrl = base.toString();
  await ensureDatabase(directUrl);
  const db = createDb({ connectionString: directUrl, max: 4 });
  await migrateToLatest(db);
  const pgProxy = await startFaultProxy({ host: base.hostname, port: Number(base.port || 5432) });

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    API_KEYS: DEV_API_KEYS,
    DATABASE_URL: pgProxy.url(directUrl),
    DATABASE_POOL_MAX: '10',
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_KEY_PREFIX: 'chaos:',
    MEILI_URL: `http://127.0.0.1:${meiliPort}`,
    MEILI_INDEX_PREFIX: 'chaos_',
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE_PREFIX: 'chaos-',
    PAYMENT_URL: `http://127.0.0.1:${payPort}`,
    CARRIER_URL: `http://127.0.0.1:${carrierPort}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    SANDBOX_PAYMENT_PORT: String(payPort),
    SANDBOX_CARRIER_PORT: String(carrierPort),
    SANDBOX_MAIL_SMTP_PORT: String(smtpPort),
    SANDBOX_MAIL_HTTP_PORT: String(mailHttpPort),
    SANDBOX_PAYMENT_DATA_FILE: path.join(dir, 'payment-ledger.jsonl'),
    SANDBOX_CARRIER_WEBHOOK_URL: `${apiUrl}/v1/webhooks/carriers/{carrier}`,
    // The runner's clients are many storefronts behind one IP: limits out of the way.
    RATE_LIMIT_ENABLED: 'false',
    ORDERS_MAX_CONCURRENT: '10000',
    HOLD_SWEEP_INTERVAL_SECONDS: '60',
    ...opts.env,
  };

  const redis = slot('redis', async () => {
    const p = startProcess(
      'redis',
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        logDir: logs,
      },
    );
    await waitFor('redis', () => isPortOpen('127.0.0.1', redisPort), 10_000, p);
    return p;
  });
  const temporal = slot('temporal', () =>
    startTemporalDevServer({
      port: temporalPort,
      uiPort: temporalUi,
      dbFile: path.join(dir, 'temporal.db'),
      namespace: 'default',
      logDir: logs,
      ...(opts.temporalDynamicConfig ? { dynamicConfig: opts.temporalDynamicConfig } : {}),
    }),
  );
  const meili = slot(
    'meilisearch',
    async () => (await startMeilisearch({ port: meiliPort, dbPath: path.join(dir, 'meili'), logDir: logs })).process,
  );
  const sandboxes = slot('sandboxes', async () => {
    const p = startProcess('sandboxes', TSX, ['integrations/sandboxes-main.ts'], { cwd: PROJECT_ROOT, env, logDir: logs });
    await waitFor(
      'sandboxes',
      async () => (await httpOk(`http://127.0.0.1:${payPort}/healthz`)) && (await httpOk(`http://127.0.0.1:${mailHttpPort}/messages`)),
      60_000,
      p,
    );
    return p;
  });
  const workers = workerMetrics.map((metricsPort, i) =>
    slot(`worker-${i + 1}`, async () => {
      const file = path.join(logs, `worker-${i + 1}.log`);
      const from = logSize(file);
      const p = startProcess(`worker-${i + 1}`, TSX, ['workers/main.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...env, WORKER_METRICS_PORT: String(metricsPort) },
        logDir: logs,
      });
      await waitForLog(file, 'worker running', from, 180_000, p);
      return p;
    }),
  );
  const api = slot('api', async () => {
    const p = startProcess('api', TSX, [...(opts.apiNodeArgs ?? []), 'api/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...env, LOG_LEVEL: 'warn' },
      logDir: logs,
    });
    await waitFor('api', () => httpOk(`${apiUrl}/healthz`), 120_000, p);
    return p;
  });

  log(`chaos stack ${runId}: starting redis, temporal, meilisearch, sandboxes`);
  await Promise.all([redis.start(), temporal.start(), meili.start(), sandboxes.start()]);

  // A small catalog: most SKUs plentiful, a few scarce so some orders are refused out of stock.
  const skus: { sku: string; stock: number }[] = [];
  for (let i = 0; i < 30; i++) {
    const stock = i < 4 ? 15 : 100_000;
    const p = await createProduct(db, { sku: `CHAOS-${runId}-${i}`, stock: { [LOCATIONS_DEFAULT]: stock } });
    skus.push({ sku: p.sku, stock });
  }
  log('starting workers and the API');
  await Promise.all([...workers.map((w) => w.start()), api.start()]);
  await waitFor('api /readyz', () => httpOk(`${apiUrl}/readyz`, 3_000), 120_000);

  const all = [api, ...workers, sandboxes, meili, temporal, redis];
  const stop = async () => {
    if (!interrupted) for (const sig of INTERRUPTS) process.off(sig, onInterrupt);
    for (const s of all) await s.proc?.stop(5_000);
    await pgProxy.close();
    await db.destroy();
    const admin = createDb({ connectionString: new URL('/postgres', directUrl).toString(), max: 1 });
    try {
      await sql.raw(`DROP DATABASE IF EXISTS "cathay_chaos_${runId}" WITH (FORCE)`).execute(admin);
    } catch {
      // leave it for inspection
    } finally {
      await admin.destroy();
    }
  };
  // The stack's processes run in process groups of their own (so a fault can kill one), so
  // Ctrl-C on the runner does not reach them: stop them here, or they outlive the run.
  // Ctrl-C reaches the runner twice (from the terminal and relayed by tsx): the handler stays
  // installed, so the second one does not kill the runner half-way through the stop.
  let interrupted = false;
  const onInterrupt = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping chaos stack ${runId}`);
    void stop().finally(() => process.exit(130));
  };
  for (const sig of INTERRUPTS) process.on(sig, onInterrupt);
  // A runner that dies (an uncaught error) cannot await a stop: kill the groups on the way out.
  process.once('exit', () => {
    for (const s of all) {
      const pid = s.proc?.child.pid;
      if (pid && s.proc?.child.exitCode === null && s.proc.child.signalCode === null) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
  return {
    dir,
    db,
    apiUrl,
    paymentUrl: `http://127.0.0.1:${payPort}`,
    carrierUrl: `http://127.0.0.1:${carrierPort}`,
    mailUrl: `http://127.0.0.1:${mailHttpPort}`,
    env,
    pgProxy,
    redis,
    temporal,
    meili,
    sandboxes,
    api,
    workers,
    skus,
    stop,
  };
}
