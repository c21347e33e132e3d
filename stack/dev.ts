/**
 * `npm run dev`: the whole system on one machine. Starts what is not already running (Temporal
 * dev server, Meilisearch), checks Postgres and Redis, migrates, seeds an empty catalog, starts
 * the sandboxes, the worker and the API, waits until /readyz is green, prints every URL.
 * A worker, API or sandbox process that dies is restarted with backoff (stack/supervise.ts), as
 * compose would; only Ctrl-C (or SIGTERM) stops every process it started — and nothing else.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRedis } from '../cache/redis';
import { DEV_API_KEYS, loadConfig } from '../config';
import { createDb } from '../db/connection';
import { ensureDatabase } from '../db/ensure-database';
import { migrateToLatest } from '../db/migrate';
import { PROJECT_ROOT } from './binaries';
import { devMasterKey, startMeilisearch } from './meilisearch';
import { httpOk, isPortOpen, type ManagedProcess, startProcess, waitFor } from './processes';
import { apiSearchEnv } from './search-steps';
import { stackSteps } from './steps';
import { type SupervisedProcess, supervise } from './supervise';
import { devUiCodecEndpoint, startTemporalDevServer } from './temporal-server';

const envFile = path.join(PROJECT_ROOT, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

const DATA = path.join(PROJECT_ROOT, '.data');
const LOGS = path.join(DATA, 'logs');
const started: Array<Pick<ManagedProcess, 'name' | 'stop'>> = [];
const t0 = Date.now();

function step(msg: string) {
  console.log(`\x1b[36m[dev +${((Date.now() - t0) / 1000).toFixed(1)}s]\x1b[0m ${msg}`);
}

async function stopAll(code: number) {
  for (const p of [...started].reverse()) {
    step(`stopping ${p.name}`);
    await p.stop();
  }
  process.exit(code);
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.log('');
    void stopAll(0);
  });
}

function hostPort(address: string): { host: string; port: number } {
  const u = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: u.hostname, port: Number(u.port) };
}

function tsx(name: string, entry: string, env: NodeJS.ProcessEnv): SupervisedProcess {
  const p = supervise(
    name,
    () => startProcess(name, path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [entry], { cwd: PROJECT_ROOT, env, logDir: LOGS }),
    { log: (msg) => console.error(`\x1b[33m[dev +${((Date.now() - t0) / 1000).toFixed(1)}s]\x1b[0m ${msg}`) },
  );
  started.push(p);
  return p;
}

async function main() {
  // Meilisearch runs with a master key (generated once into .data/); the API gets a search-only key.
  process.env.MEILI_MASTER_KEY ??= devMasterKey(DATA);
  const config = loadConfig();
  const env: NodeJS.ProcessEnv = { ...process.env };

  step('checking Postgres and Redis');
  try {
    await ensureDatabase(config.DATABASE_URL);
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable: start it or set DATABASE_URL (now ${config.DATABASE_URL})`, { cause: err });
  }
  const redis = createRedis(config.REDIS_URL, { lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`Redis is not reachable: start it or set REDIS_URL (now ${config.REDIS_URL})`, { cause: err });
  } finally {
    redis.disconnect();
  }

  const temporal = hostPort(config.TEMPORAL_ADDRESS);
  const temporalUp = await isPortOpen(temporal.host, temporal.port);
  const meiliUp = await httpOk(`${config.MEILI_URL}/health`);
  const servers: Promise<unknown>[] = [];
  if (temporalUp) step(`using the Temporal server already at ${config.TEMPORAL_ADDRESS}`);
  else {
    step('starting the Temporal dev server (SQLite in .data/temporal.db)');
    servers.push(
      startTemporalDevServer({
        port: temporal.port,
        uiPort: Number(new URL(config.TEMPORAL_UI_URL).port || 8233),
        dbFile: path.join(DATA, 'temporal.db'),
        namespace: config.TEMPORAL_NAMESPACE,
        logDir: LOGS,
        uiCodecEndpoint: devUiCodecEndpoint(config),
      }).then((p) => started.push(p)),
    );
  }
  if (meiliUp) step(`using the Meilisearch already at ${config.MEILI_URL}`);
  else {
    step('starting Meilisearch (data in .data/meilisearch)');
    const port = Number(new URL(config.MEILI_URL).port || 7700);
    servers.push(
      startMeilisearch({
        port,
        dbPath: path.join(DATA, 'meilisearch'),
        logDir: LOGS,
        ...(config.MEILI_MASTER_KEY ? { masterKey: config.MEILI_MASTER_KEY } : {}),
      }).then((m) => started.push(m.process)),
    );
  }

  step('migrating');
  const db = createDb({ connectionString: config.DATABASE_URL, max: 4 });
  await migrateToLatest(db);
  await Promise.all(servers);

  for (const s of stackSteps.beforeServices) {
    step(s.name);
    await s.run({ config, db, log: step });
  }
  await db.destroy();

  if (existsSync(path.join(PROJECT_ROOT, 'integrations/sandboxes-main.ts'))) {
    step('starting the carrier, payment and mail sandboxes');
    tsx('sandboxes', 'integrations/sandboxes-main.ts', env);
  }
  step('starting the worker and the API');
  tsx('worker', 'workers/main.ts', env);
  const api = tsx('api', 'api/main.ts', await apiSearchEnv(config, env, step));
  const apiUrl = `http://${config.HOST}:${config.PORT}`;
  await waitFor('api /readyz', () => httpOk(`${apiUrl}/readyz`, 2_000), 120_000, api.current());

  const db2 = createDb({ connectionString: config.DATABASE_URL, max: 2 });
  for (const s of stackSteps.afterServices) {
    step(s.name);
    await s.run({ config, db: db2, log: step });
  }
  await db2.destroy();

  const keys =
    config.API_KEYS === DEV_API_KEYS
      ? config.API_KEYS.split(',')
          .map((k) => `    ${k}`)
          .join('\n')
      : '    (from API_KEYS)';
  console.log(`
\x1b[32mCathay Shop is up\x1b[0m in ${((Date.now() - t0) / 1000).toFixed(1)} s
  API              ${apiUrl}            (readiness ${apiUrl}/readyz, OpenAPI ${apiUrl}/openapi.json)
  API reference    ${apiUrl}/docs
  Console          ${apiUrl}/console   (support, ops or admin key)
  Metrics          ${apiUrl}/metrics (ops key)    worker: http://${config.HOST}:${config.WORKER_METRICS_PORT}/metrics
  Temporal Web UI  ${config.TEMPORAL_UI_URL}   (frontend ${config.TEMPORAL_ADDRESS})
  Meilisearch      ${config.MEILI_URL}
  Payment sandbox  ${config.PAYMENT_URL}
  Carrier sandbox  ${config.CARRIER_URL}
  Mail sink        smtp://${config.SMTP_HOST}:${config.SMTP_PORT}  messages: http://127.0.0.1:${config.SANDBOX_MAIL_HTTP_PORT}/messages
  Postgres         ${config.DATABASE_URL.replace(/\/\/[^@]*@/, '//')}
  Redis            ${config.REDIS_URL}
  Logs             ${LOGS}
  API keys (role:key)
${keys}
  Customer token   npm run token:dev -- <customerId>   (X-Customer-Token for order calls)
Press Ctrl-C to stop everything this command started.`);
}

main().catch(async (err) => {
  console.error(err instanceof Error ? `\n${err.message}` : err);
  if (err instanceof Error && err.cause) console.error('  cause:', err.cause instanceof Error ? err.cause.message : err.cause);
  await stopAll(1);
});
