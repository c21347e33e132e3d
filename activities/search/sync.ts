/**
 * The outbox → search index drain. One activity run lasts up to SEARCH_SYNC_RUN_MS: it claims a
 * batch of pending outbox rows, re-reads those products, writes them to the live index, waits
 * until Meilisearch has applied the task, and only then marks the rows processed (see
 * db/queries/search-outbox.ts for the locking). When nothing is pending it sleeps until the
 * outbox trigger's NOTIFY (see outbox-wakeup.ts) or, as a fallback, SEARCH_SYNC_IDLE_POLL_MS —
 * inside the activity, so an idle sync adds nothing to the workflow history (see
 * workflows/search-sync.ts for why). Failures (Meilisearch or Postgres down) back off and retry
 * inside the run; the rows stay pending, so nothing is lost and the sync catches up when the
 * dependency returns.
 */
import { productsForIndex } from '../../db/queries/search-documents';
import { claimPendingForSearch, markProcessedForSearch, withSearchWriterLock } from '../../db/queries/search-outbox';
import { productIndexes } from '../../search/client';
import type { ProductDocument } from '../../search/documents';
import { applyChanges, ensureProductIndex } from '../../search/indexes';
import { planIndexChanges, refsToLoad } from '../../search/sync-plan';
import { activityLog, errorMessage, heartbeat, keepHeartbeating, pause, throwIfCancelled } from '../context';
import type { ActivityDeps } from '../deps';
import { listenForOutbox } from './outbox-wakeup';

export interface SearchSyncRunResult {
  batches: number;
  rows: number;
  upserts: number;
  deletes: number;
  /** Stock changes that left the availability status as indexed: nothing to write. */
  unchanged: number;
  errors: number;
  lastError: string | null;
  /** Outbox row written → visible in search, over this run's rows (ms). */
  lagMsP50: number | null;
  lagMsP95: number | null;
  lagMsMax: number | null;
  lastBatchAt: string | null;
}

type BatchOutcome =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; rows: number; upserts: number; deletes: number; unchanged: number; lags: number[] };

const MAX_LAG_SAMPLES = 20_000;
const MAX_BACKOFF_MS = 5_000;
/**
 * How often the sync asks Meilisearch whether its task is done. A small update takes ~100 ms
 * there; half the interval is added to every row's lag on average, and a task status read is cheap.
 */
const TASK_POLL_MS = 10;

export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** Drops stock-only upserts whose indexed availability status is already the same. */
async function withoutUnchanged(deps: ActivityDeps, index: string, upserts: ProductDocument[], stockOnly: Set<string>) {
  if (!stockOnly.size) return { upserts, unchanged: 0 };
  const ids = [...stockOnly];
  const { results } = await deps.meili
    .index<ProductDocument>(index)
    .getDocuments({ ids, fields: ['id', 'availabilityStatus'], limit: ids.length });
  const indexed = new Map(results.map((d) => [d.id, d.availabilityStatus]));
  const kept = upserts.filter((d) => !stockOnly.has(d.id) || indexed.get(d.id) !== d.availabilityStatus);
  return { upserts: kept, unchanged: upserts.length - kept.length };
}

/**
 * One batch: claim rows and read those products (short transaction, row locks released), write
 * to the index and wait until Meilisearch applied it, then mark the rows processed. A failure
 * before the mark leaves the rows pending for the next attempt (writes are idempotent).
 */
export async function syncOneBatch(deps: ActivityDeps, index: string, batchSize: number): Promise<BatchOutcome> {
  const outcome = await withSearchWriterLock(deps.db, { wait: false }, async (conn): Promise<BatchOutcome> => {
    const { changes, current } = await conn.transaction().execute(async (trx) => {
      const changes = await claimPendingForSearch(trx, batchSize);
      return { changes, current: changes.length ? await productsForIndex(trx, refsToLoad(changes)) : [] };
    });
    if (!changes.length) return { kind: 'idle' };
    const plan = planIndexChanges(changes, current, deps.config.LOW_STOCK_THRESHOLD);
    const { upserts, unchanged } = await withoutUnchanged(deps, index, plan.upserts, plan.stockOnly);
    await applyChanges(deps.meili, index, upserts, plan.deletes, TASK_POLL_MS);
    const visibleAt = Date.now();
    await markProcessedForSearch(
      conn,
      changes.map((c) => c.id),
    );
    return {
      kind: 'done',
      rows: changes.length,
      upserts: upserts.length,
      deletes: plan.deletes.length,
      unchanged,
      lags: changes.map((c) => Math.max(0, visibleAt - c.created_at.getTime())),
    };
  });
  return outcome ?? { kind: 'busy' };
}

export function createSearchSyncActivities(deps: ActivityDeps) {
  const log = activityLog(deps);
  return {
    /** Drains the outbox into the live index for up to `runMs` (default SEARCH_SYNC_RUN_MS), then reports. */
    async runSearchSync(input: { runMs?: number } = {}): Promise<SearchSyncRunResult> {
      const cfg = deps.config;
      const { live } = productIndexes(cfg.MEILI_INDEX_PREFIX);
      const deadline = Date.now() + (input.runMs ?? cfg.SEARCH_SYNC_RUN_MS);
      const r: SearchSyncRunResult = {
        batches: 0,
        rows: 0,
        upserts: 0,
        deletes: 0,
        unchanged: 0,
        errors: 0,
        lastError: null,
        lagMsP50: null,
        lagMsP95: null,
        lagMsMax: null,
        lastBatchAt: null,
      };
      const lags: number[] = [];
      let indexReady = false;
      let backoff = 0;
      const stopHeartbeat = keepHeartbeating(() => ({ rows: r.rows, errors: r.errors }));
      const wakeup = listenForOutbox(cfg.DATABASE_URL, log);
      try {
        while (Date.now() < deadline) {
          await throwIfCancelled();
          heartbeat({ rows: r.rows, errors: r.errors });
          try {
            // The live index normally exists (the stack builds it first); if not, create it with our
            // settings so writes never auto-create an index without them.
            if (!indexReady) {
              await ensureProductIndex(deps.meili, live);
              indexReady = true;
            }
            const outcome = await syncOneBatch(deps, live, cfg.SEARCH_SYNC_BATCH_SIZE);
            if (backoff) log.info('search sync recovered', { afterErrors: r.errors });
            backoff = 0;
            if (outcome.kind === 'idle') {
              await wakeup.wait(Math.min(cfg.SEARCH_SYNC_IDLE_POLL_MS, Math.max(0, deadline - Date.now())));
              continue;
            }
            if (outcome.kind === 'busy') {
              // Another writer (a reindex replaying) holds the index: notifications do not help.
              await pause(cfg.SEARCH_SYNC_IDLE_POLL_MS);
              continue;
            }
            r.batches++;
            r.rows += outcome.rows;
            r.upserts += outcome.upserts;
            r.deletes += outcome.deletes;
            r.unchanged += outcome.unchanged;
            r.lastBatchAt = new Date().toISOString();
            for (const l of outcome.lags) if (lags.length < MAX_LAG_SAMPLES) lags.push(l);
            log.debug('search sync batch', { rows: outcome.rows, upserts: outcome.upserts, deletes: outcome.deletes });
          } catch (err) {
            r.errors++;
            r.lastError = errorMessage(err);
            if (!backoff) log.warn('search sync batch failed; rows stay pending, retrying', { err: r.lastError });
            backoff = Math.min(MAX_BACKOFF_MS, Math.max(250, backoff * 2));
            indexReady = false;
            await pause(Math.min(backoff, Math.max(0, deadline - Date.now())));
          }
        }
      } finally {
        stopHeartbeat();
        await wakeup.close();
      }
      lags.sort((a, b) => a - b);
      r.lagMsP50 = percentile(lags, 50);
      r.lagMsP95 = percentile(lags, 95);
      r.lagMsMax = lags.length ? (lags[lags.length - 1] ?? null) : null;
      return r;
    },
  };
}
