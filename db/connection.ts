import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database';

// int8 (COUNT(*), bigserial ids) arrives as a string by default. Our int8 values (row counts,
// ledger sums, ids) stay far below 2^53, so numbers are safe and simpler to use.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
// NUMERIC from SUM(integer) likewise.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface DbOptions {
  connectionString: string;
  max?: number;
  /** Fail fast when Postgres is unreachable instead of queueing forever. */
  connectionTimeoutMillis?: number;
  statementTimeoutMillis?: number;
  applicationName?: string;
}

export function createPool(opts: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 20,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 2_000,
    statement_timeout: opts.statementTimeoutMillis ?? 10_000,
    application_name: opts.applicationName ?? 'cathay',
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server connection dies (Postgres restarted, the database dropped,
  // pg_terminate_backend) is reported here and removed from the pool. Without a listener Node
  // treats it as an unhandled 'error' event and the whole process crashes; with one, the pool
  // simply opens a new connection for the next query (and a query in flight fails on its own).
  pool.on('error', () => {});
  // pg-pool takes its own 'error' listener off a client while it is checked out: a connection
  // reset while a transaction holds its client between statements (or while the outbox LISTEN
  // or an SMTP send waits inside one) then emitted 'error' with no listener, and Node exited —
  // the chaos suite's Postgres cut killed every worker this way. The client's next query fails
  // on its own and its holder releases it with the error, so the pool drops it; here it is only
  // kept from crashing the process.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

export function createDb(opts: DbOptions | pg.Pool): Kysely<Database> {
  const pool = opts instanceof pg.Pool ? opts : createPool(opts);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  // Kysely ends the pool only if it ran a query itself (its driver takes the pool on first use).
  // A Db used only through poolOf() — the reservation batcher's prepared statements — kept its
  // idle connections and their 30 s timers after destroy(): the leak behind jest's "A worker
  // process has failed to exit gracefully". End the pool here too, once.
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    if (!pool.ending) await pool.end();
  };
  return db;
}

/**
 * The pg pool behind a Db made by createDb (undefined for a transaction handle). For the few hot
 * statements that run as named prepared statements — Kysely sends every query unnamed, so
 * Postgres parses and plans it again each time (~30% of a reservation's round trip).
 */
export function poolOf(db: Kysely<Database>): pg.Pool | undefined {
  return pools.get(db);
}

export type Db = Kysely<Database>;
