import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { type Config, loadConfig } from '../../config';

/**
 * Task queues of this test file: the run's prefix plus a tag of the file, so workers started by
 * one file (with that file's sandboxes and clients) never pick up another file's tasks.
 */
function fileQueuePrefix(): string {
  const base = process.env.TEMPORAL_TASK_QUEUE_PREFIX ?? '';
  const testPath = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.().testPath;
  if (!testPath) return base;
  const tag = createHash('sha1').update(testPath).digest('hex').slice(0, 6);
  return `${base}${path
    .basename(testPath)
    .replace(/\.test\.ts$/, '')
    .slice(0, 20)}-${tag}-`;
}

/** The run's configuration (set up by the global setup), with per-test overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    TEMPORAL_TASK_QUEUE_PREFIX: fileQueuePrefix(),
    // Each test API counts its own rate-limit buckets: the realistic defaults apply per API, not
    // to the sum of every test file the run has going against 127.0.0.1 at once.
    RATE_LIMIT_KEY_PREFIX: `rl-${randomUUID().slice(0, 8)}`,
    ...overrides,
  });
}

/** A short unique id for data a test creates (SKUs, customer ids), so files can share the database. */
export function uniqueId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`.toUpperCase();
}
