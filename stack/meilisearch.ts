import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { meilisearchBinary } from './binaries';
import { httpOk, type ManagedProcess, startProcess, waitFor } from './processes';

export interface MeiliServer {
  url: string;
  process: ManagedProcess;
}

/** Starts a Meilisearch server on 127.0.0.1:`port` with its data in `dbPath`; waits until healthy. */
export async function startMeilisearch(opts: {
  port: number;
  dbPath: string;
  logDir?: string;
  masterKey?: string;
  name?: string;
}): Promise<MeiliServer> {
  mkdirSync(opts.dbPath, { recursive: true });
  const args = [
    '--db-path',
    opts.dbPath,
    '--http-addr',
    `127.0.0.1:${opts.port}`,
    '--no-analytics',
    '--env',
    'development',
    '--log-level',
    'WARN',
    // Our documents are small; a smaller indexing budget keeps memory sane on a 2-core box.
    '--max-indexing-threads',
    '2',
  ];
  // One argument: a key starting with '-' would otherwise read as a flag.
  if (opts.masterKey) args.push(`--master-key=${opts.masterKey}`);
  // Meilisearch also reads MEILI_* variables (MEILI_MASTER_KEY above all): the engine's own config
  // uses that prefix, so the child gets none of them — the arguments alone configure it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MEILI_')));
  const proc = startProcess(opts.name ?? 'meilisearch', meilisearchBinary(), args, {
    env,
    ...(opts.logDir ? { logDir: opts.logDir } : {}),
  });
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor('meilisearch', () => httpOk(`${url}/health`), 30_000, proc);
  return { url, process: proc };
}

/**
 * The dev Meilisearch's master key: generated once (32 random bytes, hex — Meilisearch
 * wants at least 16 bytes) into `{dataDir}/meili-master-key`, readable by the owner only, and
 * reused by every later `npm run dev`, so the keys derived from it stay valid.
 */
export function devMasterKey(dataDir: string): string {
  const file = path.join(dataDir, 'meili-master-key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(key) >= 16) return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
