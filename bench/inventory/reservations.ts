/**
 * `npm run bench:inventory` — reservations per second through the path the reserveStock activity
 * runs (the pool's ReservationBatcher: an order alone goes to `reserve_stock`, orders that arrive
 * while a call is in flight go together to `reserve_stock_batch` — advisory lock, idempotency
 * check, conditional UPDATE, ledger row, reservation row, outbox row per SKU, one transaction)
 * on one hot SKU and on 10k uniformly random SKUs, at 1, 8, 32 and 64 concurrent clients, next
 * to pgbench running the bare single-row conditional UPDATE on the same database in the same run.
 * `BENCH_IN_FLIGHT=n` overrides the batcher's batches in flight (tuning).
 *
 * Baseline fairness: pgbench updates `bench_levels`, a trigger-free copy of `inventory_levels`
 * (same columns, primary key and CHECK), one autocommitted statement per transaction, prepared
 * statements (`-M prepared`): the cheapest correct way to take one unit, with no ledger, no
 * reservation row and no idempotency. (On `inventory_levels` itself the bare UPDATE is refused by
 * design: no reason → no change, and reserved must match held reservations.) `reserve_stock` is
 * also driven by pgbench (`pgbench-reserve_stock-*`), to show the database's share without the
 * Node client's.
 *
 * Zero oversell is checked after every run: reserved never exceeds on hand, the successes
 * counted by the clients equal the growth of `reserved`, the ledger balances, and a scarce SKU
 * (1000 on hand, 64 clients asking for 3000) ends with exactly 1000 reserved.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { createDb, type Db } from '../../db/connection';
import { dropDatabase, ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { ledgerImbalances } from '../../db/queries/inventory-audit';
import { ReservationBatcher } from '../../db/queries/reservation-batcher';
import { percentile } from '../support';

const run = promisify(execFile);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32,64').split(',').map(Number);
/** Seconds per measurement; each case alternates baseline and ours ROUNDS times (load drift cancels). */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RANDOM_SKUS = 10_000;
const HOT = 'BENCH-HOT';
const LOCATION = 'wh-east';
const BIG = 1_000_000_000;
/** Batches in flight at once (the batcher's default unless set): for tuning runs. */
const IN_FLIGHT = process.env.BENCH_IN_FLIGHT ? Number(process.env.BENCH_IN_FLIGHT) : undefined;
const batcherFor = (db: Db) => new ReservationBatcher(db, IN_FLIGHT ? { maxInFlight: IN_FLIGHT } : {});

function benchUrl(): string {
  const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cathay');
  u.pathname = '/cathay_bench_inventory';
  return u.toString();
}

function emit(o: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ bench: 'inventory', ...o })}\n`);
}

async function seed(db: Db) {
  const skus = [HOT, ...Array.from({ length: RANDOM_SKUS }, (_, i) => `BENCH-R${i + 1}`)];
  await sql`
    INSERT INTO products (sku, name, brand, category, price_amount)
    SELECT s, 'Bench ' || s, 'Bench', 'Bench', 100 FROM unnest(${skus}::text[]) s
    ON CONFLICT (sku) DO NOTHING`.execute(db);
  await db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
    await sql`
      INSERT INTO inventory_levels (sku, location_id, on_hand)
      SELECT s, ${LOCATION}, ${BIG} FROM unnest(${skus}::text[]) s
      ON CONFLICT (sku, location_id) DO NOTHING`.execute(trx);
  });
  await sql`CREATE TABLE IF NOT EXISTS bench_levels (LIKE inventory_levels INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`.execute(
    db,
  );
  await sql`TRUNCATE bench_levels`.execute(db);
  await sql`INSERT INTO bench_levels (sku, location_id, on_hand, reserved) SELECT s, ${LOCATION}, ${BIG}, 0 FROM unnest(${skus}::text[]) s`.execute(
    db,
  );
  await sql`VACUUM ANALYZE inventory_levels`.execute(db);
  await sql`VACUUM ANALYZE bench_levels`.execute(db);
}

async function reservedSum(db: Db, table: 'inventory_levels' | 'bench_levels'): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT coalesce(sum(reserved), 0)::bigint AS n FROM ${sql.table(table)} WHERE sku LIKE 'BENCH-%'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

async function overReserved(db: Db, table: 'inventory_levels' | 'bench_levels'): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE reserved > on_hand OR reserved < 0`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

function pickSku(kind: 'hot' | 'random'): string {
  return kind === 'hot' ? HOT : `BENCH-R${1 + Math.floor(Math.random() * RANDOM_SKUS)}`;
}

/** `clients` loops, each with its own connection, reserving 1 unit per order for SECONDS. */
async function runOurs(db: Db, kind: 'hot' | 'random', clients: number, runTag: string) {
  const before = await reservedSum(db, 'inventory_levels');
  const batcher = batcherFor(db);
  const expires = new Date(Date.now() + 3600_000);
  const latencies: number[] = [];
  let ok = 0;
  let short = 0;
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let i = 0;
      while (Date.now() < end) {
        const t = performance.now();
        try {
          const r = await batcher.reserve(`bench-${runTag}-${c}-${i++}`, [{ sku: pickSku(kind), quantity: 1 }], expires);
          if (r.ok) ok++;
          else short++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const grew = (await reservedSum(db, 'inventory_levels')) - before;
  const over = await overReserved(db, 'inventory_levels');
  return {
    seconds,
    latencies,
    ok,
    short,
    errors,
    // Oversell: any row past its on hand, or more units reserved than successes reported.
    oversell: over + Math.max(0, grew - ok),
    lostUpdates: Math.max(0, ok - grew),
  };
}

/** Opens `clients` connections at once (retrying while the shared server is at max_connections). */
async function warm(query: () => Promise<unknown>, clients: number) {
  for (let attempt = 0; ; attempt++) {
    try {
      await Promise.all(Array.from({ length: clients }, query));
      return;
    } catch (err) {
      if (attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function runPgbench(url: string, kind: PgbenchKind, clients: number): Promise<{ tx: number; seconds: number; latencyAvg: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runPgbenchOnce(url, kind, clients);
    } catch (err) {
      if (attempt >= 10 || !/too many clients/.test(String((err as { stderr?: string }).stderr))) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

type PgbenchKind = 'hot' | 'random' | 'fn-hot' | 'fn-random';

async function runPgbenchOnce(url: string, kind: PgbenchKind, clients: number) {
  const script = path.join(tmpdir(), `cathay-bench-inventory-${kind}.sql`);
  writeFileSync(
    script,
    kind === 'fn-hot' || kind === 'fn-random'
      ? `\\set r random(1, 2000000000)\n${kind === 'fn-hot' ? '' : `\\set n random(1, ${RANDOM_SKUS})\n`}SELECT reserve_stock('pgbench-' || :client_id || '-' || :r, ARRAY[${kind === 'fn-hot' ? `'${HOT}'` : `'BENCH-R' || :n`}], ARRAY[1], now() + interval '1 hour');\n`
      : kind === 'hot'
        ? `UPDATE bench_levels SET reserved = reserved + 1 WHERE sku = '${HOT}' AND location_id = '${LOCATION}' AND on_hand - reserved >= 1;\n`
        : `\\set n random(1, ${RANDOM_SKUS})\nUPDATE bench_levels SET reserved = reserved + 1 WHERE sku = 'BENCH-R' || :n AND location_id = '${LOCATION}' AND on_hand - reserved >= 1;\n`,
  );
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(clients),
    '-j',
    String(Math.min(clients, 2)),
    '-T',
    String(SECONDS),
    '-f',
    script,
    url,
  ];
  const { stdout } = await run(process.env.PGBENCH ?? 'pgbench', args, { maxBuffer: 1 << 20 });
  const tx = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? Number.NaN);
  const lat = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? Number.NaN);
  return { tx, seconds: SECONDS, latencyAvg: lat };
}

/** Scarcity: 1000 on hand, 64 clients ask for 3000 single units: exactly 1000 may succeed. */
async function scarceCheck(url: string, runTag: string) {
  const db = createDb({ connectionString: url, max: 64, connectionTimeoutMillis: 30_000 });
  await warm(() => sql`SELECT 1`.execute(db), 64);
  const sku = `BENCH-SCARCE-${runTag}`;
  await sql`INSERT INTO products (sku, name, brand, category, price_amount) VALUES (${sku}, 'scarce', 'Bench', 'Bench', 1)`.execute(db);
  await db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('cathay.stock_reason', 'adjust', true)`.execute(trx);
    await sql`INSERT INTO inventory_levels (sku, location_id, on_hand) VALUES (${sku}, ${LOCATION}, 1000)`.execute(trx);
  });
  let next = 0;
  let ok = 0;
  const batcher = batcherFor(db);
  const expires = new Date(Date.now() + 3600_000);
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < 3000) {
        const i = next++;
        if ((await batcher.reserve(`scarce-${runTag}-${i}`, [{ sku, quantity: 1 }], expires)).ok) ok++;
      }
    }),
  );
  const level = await db.selectFrom('inventory_levels').select(['on_hand', 'reserved']).where('sku', '=', sku).executeTakeFirstOrThrow();
  const imbalances = await ledgerImbalances(db, [sku]);
  await db.destroy();
  return {
    ok,
    reserved: level.reserved,
    onHand: level.on_hand,
    oversell: Math.max(0, level.reserved - level.on_hand),
    imbalances: imbalances.length,
  };
}

/** One case: baseline and ours alternate ROUNDS times; one JSON line each. */
async function benchCase(url: string, admin: Db, kind: 'hot' | 'random', clients: number, runTag: string) {
  const base = { tx: 0, seconds: 0, latencySum: 0 };
  const fn = { tx: 0, seconds: 0, latencySum: 0 };
  const ours = { ok: 0, short: 0, errors: 0, oversell: 0, lostUpdates: 0, seconds: 0, latencies: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Start each round with no dirty buffers: a checkpoint triggered by the previous round's WAL
    // would otherwise land inside whichever measurement came next.
    await sql`CHECKPOINT`.execute(admin).catch(() => undefined);
    const b = await runPgbench(url, kind, clients);
    base.tx += b.tx;
    base.seconds += b.seconds;
    base.latencySum += b.latencyAvg;
    // reserve_stock driven by pgbench too: the database's share, without the Node client's.
    const f = await runPgbench(url, kind === 'hot' ? 'fn-hot' : 'fn-random', clients);
    fn.tx += f.tx;
    fn.seconds += f.seconds;
    fn.latencySum += f.latencyAvg;
    // Our pool lives only for its own measurement: pgbench at 64 clients needs the slots.
    const db = createDb({ connectionString: url, max: clients, connectionTimeoutMillis: 30_000, applicationName: 'bench-inventory' });
    await warm(() => sql`SELECT 1`.execute(db), clients);
    const o = await runOurs(db, kind, clients, `${runTag}-${kind}-${clients}-${round}`).finally(() => db.destroy());
    for (const k of ['ok', 'short', 'errors', 'oversell', 'lostUpdates', 'seconds'] as const) ours[k] += o[k];
    ours.latencies.push(...o.latencies);
  }
  const baseRps = base.tx / base.seconds;
  const baselineOversell = await overReserved(admin, 'bench_levels');
  emit({
    case: `pgbench-bare-update-${kind}`,
    clients,
    rps: Math.round(baseRps),
    p50: null,
    p99: null,
    latencyAvg: +(base.latencySum / ROUNDS).toFixed(3),
    oversell: baselineOversell,
  });
  emit({
    case: `pgbench-reserve_stock-${kind}`,
    clients,
    rps: Math.round(fn.tx / fn.seconds),
    p50: null,
    p99: null,
    latencyAvg: +(fn.latencySum / ROUNDS).toFixed(3),
    ratio: +(fn.tx / fn.seconds / baseRps).toFixed(3),
  });
  ours.latencies.sort((a, b) => a - b);
  const rps = ours.ok / ours.seconds;
  emit({
    case: `reserve_stock-${kind}`,
    clients,
    rps: Math.round(rps),
    p50: +percentile(ours.latencies, 50).toFixed(2),
    p99: +percentile(ours.latencies, 99).toFixed(2),
    ratio: +(rps / baseRps).toFixed(3),
    ok: ours.ok,
    short: ours.short,
    errors: ours.errors,
    oversell: ours.oversell,
    lostUpdates: ours.lostUpdates,
    rounds: ROUNDS,
  });
}

async function main() {
  const url = benchUrl();
  // A fresh database every run: reservations, ledger and outbox rows of earlier runs (hundreds of
  // thousands) would otherwise push the indexes out of shared_buffers and make every run slower
  // than the one before — measured: 9.4k → 2.7k reservations/s at 64 clients over five runs.
  await dropDatabase(url);
  await ensureDatabase(url);
  const admin = createDb({ connectionString: url, max: 2, statementTimeoutMillis: 600_000 });
  await migrateToLatest(admin);
  await seed(admin);
  const { stdout: version } = await run(process.env.PGBENCH ?? 'pgbench', ['--version']);
  emit({
    case: 'setup',
    database: 'cathay_bench_inventory',
    pgbench: version.trim(),
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    clients: CLIENTS,
    loadavg: loadavg().map((l) => +l.toFixed(2)),
  });
  const runTag = Date.now().toString(36);

  for (const kind of ['hot', 'random'] as const) {
    for (const clients of CLIENTS) {
      try {
        await benchCase(url, admin, kind, clients, runTag);
      } catch (err) {
        // The Postgres server is shared: at 64 clients it may have no free connection slots.
        emit({
          case: `reserve_stock-${kind}`,
          clients,
          error: String((err as { stderr?: string }).stderr ?? err)
            .trim()
            .slice(0, 200),
        });
      }
    }
  }
  const imbalances = await ledgerImbalances(admin, [HOT, ...Array.from({ length: RANDOM_SKUS }, (_, i) => `BENCH-R${i + 1}`)]);
  emit({ case: 'ledger-check', imbalances: imbalances.length });
  try {
    emit({ case: 'scarce-64-clients', ...(await scarceCheck(url, runTag)) });
  } catch (err) {
    emit({ case: 'scarce-64-clients', error: String(err).slice(0, 200) });
  }
  await admin.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
