/**
 * Postgres being unreachable (refused, pool exhausted, connection dropped, statement timeout) is
 * a dependency failure — a fast 503 with Retry-After — not a bug (500).
 */
import { dependencyUnavailable } from '../domain/errors';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);

export function isPostgresUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e) return false;
  if (typeof e.code === 'string') {
    if (CONNECTION_CODES.has(e.code)) return true;
    // 08xxx connection exceptions, 57P0x shutdown, 53300 too many connections, 57014 statement timeout
    if (/^08|^57P0/.test(e.code) || e.code === '53300' || e.code === '57014') return true;
  }
  const msg = typeof e.message === 'string' ? e.message : '';
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(msg);
}

/** Runs a Postgres operation, turning "Postgres is down" into 503 dependency_unavailable. */
export async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isPostgresUnavailable(err)) throw dependencyUnavailable('postgres', err);
    throw err;
  }
}
