import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDb } from '../db/connection';
import { ensureDatabase } from '../db/ensure-database';
import { migrateToLatest } from '../db/migrate';
import { ensureSearchKey } from '../search/keys';
import { PROJECT_ROOT, temporalCli, temporalTestServer } from '../stack/binaries';
import { startMeilisearch } from '../stack/meilisearch';
import { freePort } from '../stack/processes';
import { devServerExtraArgs } from '../stack/temporal-server';
import { bundleWorkflows } from '../workers/bundle';
import { saveRunState } from './support/run-state';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dir = path.join(PROJECT_ROOT, '.data/test', runId);
  mkdirSync(dir, { recursive: true });

  // Postgres: a fresh database per run, migrated.
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/cathay_test_${runId}`;
  const databaseUrl = base.toString();
  await ensureDatabase(databaseUrl);
  const db = createDb({ connectionString: databaseUrl, max: 1 });
  const migrating = migrateToLatest(db).finally(() => db.destroy());

  // Meilisearch: a server of this run's own (a test stops it to check /readyz), and an index prefix.
  // It runs with a master key, like every deployment; the API gets only the search-only key.
  const meiliMasterKey = randomBytes(32).toString('hex');
  const meiliIndexPrefix = `t${runId}_`;
  const meiliStarting = freePort()
    .then((port) =>
      startMeilisearch({ port, dbPath: path.join(dir, 'meili'), logDir: dir, name: 'meilisearch', masterKey: meiliMasterKey }),
    )
    .then(async (m) => ({
      ...m,
      searchKey: await ensureSearchKey({ url: m.url, masterKey: meiliMasterKey, indexPrefix: meiliIndexPrefix }),
    }));

  // Temporal: the CLI dev server from .tools/ (or PATH) via @temporalio/testing, never a download.
  const temporalStarting = freePort().then((port) =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCli() },
        ip: '127.0.0.1',
        port,
        ui: false,
        log: { format: 'pretty', level: 'error' },
        extraArgs: devServerExtraArgs(),
      },
    }),
  );

  // One workflow bundle for every test file (bundling takes ~1.5 s).
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const bundling = bundleWorkflows(quiet).then((b) => {
    const codePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(codePath, b.code);
    return codePath;
  });

  const [, meili, temporal, bundlePath] = await Promise.all([migrating, meiliStarting, temporalStarting, bundling]);

  const redisPrefix = `test:${runId}:`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    CATHAY_TEST_RUN_ID: runId,
    CATHAY_TEST_DIR: dir,
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meiliMasterKey,
    MEILI_SEARCH_KEY: meili.searchKey,
    MEILI_INDEX_PREFIX: meiliIndexPrefix,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE_PREFIX: `t-${runId}-`,
    TEMPORAL_TEST_SERVER: temporalTestServer(),
    WORKFLOW_BUNDLE_PATH: bundlePath,
  });
  saveRunState({ runId, dir, databaseUrl, redisPrefix, temporal, meili: meili.process });
  process.stdout.write(`\n[test] run ${runId} ready in ${Date.now() - started} ms (db ${base.pathname.slice(1)})\n`);
}
