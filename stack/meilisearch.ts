import { mkdirSync } from 'node:fs';
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
  if (opts.masterKey) args.push('--master-key', opts.masterKey);
  const proc = startProcess(opts.name ?? 'meilisearch', meilisearchBinary(), args, opts.logDir ? { logDir: opts.logDir } : {});
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor('meilisearch', () => httpOk(`${url}/health`), 30_000, proc);
  return { url, process: proc };
}
