import { CompiledQuery } from 'kysely';
import { z } from 'zod';
import {
  AllocationSchema,
  normalizeLines,
  type ReserveLine,
  ReserveLineSchema,
  type ReserveResult,
  ShortfallSchema,
} from '../../domain/inventory';
import { type Db, poolOf } from '../connection';

/**
 * Reservations that arrive while earlier ones are in flight are sent together, as one
 * `reserve_stock_batch` call (migration 0034): one round trip, one lock and one UPDATE per stock
 * row, one commit for the lot. Why: a hot SKU serializes every reservation on its row lock, so
 * throughput is one over the time that lock is held — and on a small box the CPU each
 * transaction burns (commit, WAL flush, plpgsql call, NOTIFY) adds to it. Batching amortizes
 * both; bench/inventory measures it against the bare conditional UPDATE.
 *
 * No added latency: a request is sent at once when fewer than `maxInFlight` batches are running;
 * only requests that would otherwise wait for a connection are grouped. Each order keeps its own
 * outcome (all lines or none, shortfalls, idempotency by order id — see 0034); a batch that fails
 * as a whole (a deadlock victim, a timeout, a dropped connection) is retried order by order so
 * one bad order never fails its neighbours.
 */
export interface ReservationBatcherOptions {
  /** Most orders per call (bounds the statement's time under the hot row lock). */
  maxBatch?: number;
  /** Batches running at once (each on its own connection). */
  maxInFlight?: number;
}

const BatchAnswerSchema = z.array(
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), alreadyReserved: z.boolean(), allocations: z.array(AllocationSchema) }),
    z.object({ ok: z.literal(false), shortfalls: z.array(ShortfallSchema) }),
  ]),
);
const LinesSchema = z.array(ReserveLineSchema).min(1);

type SortedLine = ReserveLine & { index: number };
interface Pending {
  orderId: string;
  lines: SortedLine[];
  expiresAt: Date;
  resolve: (r: ReserveResult) => void;
  reject: (err: unknown) => void;
}

export class ReservationBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    opts: ReservationBatcherOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 100;
    this.maxInFlight = opts.maxInFlight ?? 2;
  }

  /** Every line or none; idempotent per order id. Shortfall and allocation indexes refer to `lines`. */
  reserve(orderId: string, lines: readonly ReserveLine[], expiresAt: Date): Promise<ReserveResult> {
    // Checked here, not in SQL: a malformed order must fail alone, never the batch it would join.
    const valid = LinesSchema.safeParse(lines);
    if (!valid.success) return Promise.reject(valid.error);
    if (!orderId) return Promise.reject(new Error('reserveStock: orderId is required'));
    if (Number.isNaN(expiresAt.getTime())) return Promise.reject(new Error('reserveStock: invalid hold expiry'));
    return new Promise<ReserveResult>((resolve, reject) => {
      this.queue.push({ orderId, lines: normalizeLines(valid.data), expiresAt, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    try {
      const answers = await reserveBatch(this.db, batch);
      batch.forEach((p, i) => {
        const answer = answers[i];
        if (answer) p.resolve(answer);
        else p.reject(new Error('reservation batch: no answer for this order'));
      });
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      await Promise.all(
        batch.map((p) =>
          reserveBatch(this.db, [p]).then(
            ([answer]) => (answer ? p.resolve(answer) : p.reject(new Error('reserve_stock_batch returned no result', { cause: err }))),
            p.reject,
          ),
        ),
      );
    }
  }
}

type Answer = z.infer<typeof BatchAnswerSchema>[number];

/**
 * Answers in `batch` order, indexes mapped back to each caller's lines. An order alone goes to
 * `reserve_stock` (0032): it writes its rows before taking the row lock, which is cheaper when
 * nobody is waiting; several go to `reserve_stock_batch`. Same outcomes either way.
 */
async function reserveBatch(db: Db, batch: readonly Pending[]): Promise<ReserveResult[]> {
  const answers = batch.length === 1 && batch[0] ? [await reserveOne(db, batch[0])] : await reserveMany(db, batch);
  return answers.map((a, o) => toCallerIndexes(a, batch[o]?.lines ?? []));
}

/** The functions index lines in sorted order; callers get their own order back. */
function toCallerIndexes(a: Answer, lines: readonly SortedLine[]): ReserveResult {
  const original = (i: number) => lines[i]?.index ?? i;
  if (!a.ok) {
    return { ok: false, shortfalls: a.shortfalls.map((s) => ({ ...s, index: original(s.index) })).sort((x, y) => x.index - y.index) };
  }
  return {
    ok: true,
    alreadyReserved: a.alreadyReserved,
    allocations: a.allocations.map((al) => (al.line === undefined ? al : { ...al, line: original(al.line) })),
  };
}

async function reserveMany(db: Db, batch: readonly Pending[]): Promise<Answer[]> {
  const lineOrder: number[] = [];
  const skus: string[] = [];
  const qtys: number[] = [];
  batch.forEach((p, o) => {
    for (const l of p.lines) {
      lineOrder.push(o + 1);
      skus.push(l.sku);
      qtys.push(l.quantity);
    }
  });
  const result = await prepared(
    db,
    'cathay_reserve_stock_batch',
    'SELECT reserve_stock_batch($1::text[], $2::timestamptz[], $3::int[], $4::text[], $5::int[]) AS result',
    [batch.map((p) => p.orderId), batch.map((p) => p.expiresAt.toISOString()), lineOrder, skus, qtys],
  );
  const answers = BatchAnswerSchema.parse(result);
  if (answers.length !== batch.length) throw new Error(`reserve_stock_batch answered ${answers.length} of ${batch.length} orders`);
  return answers;
}

/** One-row, one-column statement: named (prepared once per connection) when the pool is at hand. */
async function prepared(db: Db, name: string, text: string, values: unknown[]): Promise<unknown> {
  const pool = poolOf(db);
  if (pool) {
    const { rows } = await pool.query<{ result: unknown }>({ name, text, values });
    return rows[0]?.result;
  }
  const { rows } = await db.executeQuery<{ result: unknown }>(CompiledQuery.raw(text, values));
  return rows[0]?.result;
}

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
}

async function reserveOne(db: Db, p: Pending): Promise<Answer> {
  try {
    const result = await prepared(
      db,
      'cathay_reserve_stock',
      'SELECT reserve_stock($1, $2::text[], $3::int[], $4::timestamptz) AS result',
      [p.orderId, p.lines.map((l) => l.sku), p.lines.map((l) => l.quantity), p.expiresAt.toISOString()],
    );
    const [answer] = BatchAnswerSchema.parse([result]);
    if (!answer) throw new Error('reserve_stock returned nothing');
    return answer;
  } catch (err) {
    // reserve_stock reports a shortfall by aborting its statement (so nothing it wrote survives).
    const e = err as PgError;
    if (e.code === 'P0001' && e.message === 'insufficient_stock' && e.detail) {
      return { ok: false, shortfalls: ShortfallSchema.array().parse(JSON.parse(e.detail)) };
    }
    throw err;
  }
}

const batchers = new WeakMap<Db, ReservationBatcher>();

/** The batcher of a Db handle (one per pool: batches run on that pool's connections). */
export function reservationBatcher(db: Db): ReservationBatcher {
  let b = batchers.get(db);
  if (!b) {
    b = new ReservationBatcher(db);
    batchers.set(db, b);
  }
  return b;
}
