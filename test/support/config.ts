import { type Config, loadConfig } from '../../config';

/** The run's configuration (set up by the global setup), with per-test overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, ...overrides });
}

/** A short unique id for data a test creates (SKUs, customer ids), so files can share the database. */
export function uniqueId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`.toUpperCase();
}
