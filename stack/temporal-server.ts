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

/** The Temporal CLI dev server (SQLite file, Web UI), as `npm run dev` runs it. */
export async function startTemporalDevServer(opts: {
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  logDir?: string;
}): Promise<ManagedProcess> {
  mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const args = [
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
  ];
  const proc = startProcess('temporal', temporalCli(), args, opts.logDir ? { logDir: opts.logDir } : {});
  await waitFor('temporal', () => isPortOpen('127.0.0.1', opts.port), 60_000, proc);
  return proc;
}
