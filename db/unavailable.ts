import { dependencyUnavailable } from '../domain/errors';

/** Recognizes "Postgres is not reachable right now" errors (as opposed to bugs or constraint violations). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);
// SQLSTATE: 08xxx connection exceptions, 57P01-03 shutdown / cannot connect now, 53300 too many connections.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

export function isDbUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    NETWORK_CODES.has(code) ||
    SQLSTATES.has(code) ||
    code.startsWith('08') ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  );
}

/** Awaits a query; Postgres unreachable becomes a 503 `dependency_unavailable`, anything else propagates. */
export async function pgOr503<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw isDbUnavailable(err) ? dependencyUnavailable('postgres', err) : err;
  }
}
