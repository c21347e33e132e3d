import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEV_SERVER_DYNAMIC_CONFIG, SEARCH_ATTRIBUTE_FLAGS } from '../temporal/search-attributes';
import { temporalCli } from './binaries';
import { isPortOpen, type ManagedProcess, startProcess, waitFor } from './processes';

/** `start-dev` flags shared by the dev stack and the test harness: search attributes + dynamic config. */
export function devServerExtraArgs(): string[] {
  const args: string[] = [];
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_FLAGS)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${value}`);
  return args;
}

/**
 * SQLite pragmas for the dev server's file (the CLI accepts only `journal_mode` and `synchronous`).
 * SQLite's defaults are a rollback journal (created, written and deleted on every transaction) and
 * `synchronous=FULL` (an fsync per commit, several with the journal). With one history shard every
 * workflow task completion is one of those transactions, so they serialise on it. WAL appends
 * to one log instead and, with `synchronous=NORMAL`, fsyncs only at checkpoints: a crash of the
 * process loses nothing, a power cut can lose the last transactions but never corrupts the file
 * (https://www.sqlite.org/wal.html) — the right trade for a dev server. Measured with the file
 * on disk (bench/orders, BENCH_TEMPORAL_DB=disk, BENCH_SQLITE_PRAGMAS=default for the old setting):
 * UpdateWorkflowExecution 13–14 → 2.4–3.3 ms, empty workflows 42–46 → 71–73/s, orders 15.5–17 →
 * 18.3–18.5/s; on tmpfs (the bench's default) no difference. The test harness and the shipping
 * bench run the server in memory (no --db-filename), where there is no journal file to change.
 */
export const DEV_SERVER_SQLITE_PRAGMAS: Readonly<Record<string, string>> = {
  journal_mode: 'wal',
  synchronous: 'normal',
};

/** The Temporal CLI dev server (SQLite file, Web UI), as `npm run dev` runs it. */
export async function startTemporalDevServer(opts: {
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  logDir?: string;
  /** Defaults to DEV_SERVER_SQLITE_PRAGMAS; `{}` keeps SQLite's own defaults. */
  sqlitePragmas?: Readonly<Record<string, string>>;
  /** The remote codec the Web UI decodes payloads with (the API's /codec; temporal/payload-codec.ts). */
  uiCodecEndpoint?: string;
  /** Dynamic config beside DEV_SERVER_DYNAMIC_CONFIG (e.g. the soak's history cache size). */
  dynamicConfig?: Readonly<Record<string, string | number>>;
}): Promise<ManagedProcess> {
  mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const args = temporalDevServerArgs(opts);
  const proc = startProcess('temporal', temporalCli(), args, opts.logDir ? { logDir: opts.logDir } : {});
  await waitFor('temporal', () => isPortOpen('127.0.0.1', opts.port), 60_000, proc);
  return proc;
}

/** Where the dev Web UI (in the browser) reaches the API's codec endpoint (api/codec-endpoint.ts). */
export function devUiCodecEndpoint(config: { PUBLIC_URL?: string | undefined; PORT: number }): string {
  return `${(config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/+$/, '')}/codec`;
}

/** The `temporal server start-dev` arguments of the dev stack. */
export function temporalDevServerArgs(opts: Parameters<typeof startTemporalDevServer>[0]): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    opts.dbFile,
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    ...devServerExtraArgs(),
    ...Object.entries(opts.sqlitePragmas ?? DEV_SERVER_SQLITE_PRAGMAS).flatMap(([k, v]) => ['--sqlite-pragma', `${k}=${v}`]),
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
    ...Object.entries(opts.dynamicConfig ?? {}).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${v}`]),
  ];
}
