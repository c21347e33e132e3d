/**
 * searchSync (`search-sync`, queue `sync`): keeps the search index in step with Postgres by
 * draining the outbox, forever.
 *
 * History size. The dev server keeps every event of every workflow in one SQLite shard, so the
 * loop must not record idle polls. The work happens inside one long activity run
 * (`runSearchSync`, SEARCH_SYNC_RUN_MS, 60 s by default) that drains batches back to back while
 * busy and, while idle, sleeps until the outbox's NOTIFY or SEARCH_SYNC_IDLE_POLL_MS (200 ms),
 * heartbeating as it goes; the workflow records one activity (~6 events) per run, busy or idle —
 * about 360 events an hour — and continues as new every RUNS_PER_HISTORY runs (or when the server
 * suggests it). The sync first only polled, to spare the outbox a NOTIFY trigger; the catalog's
 * cache invalidator has since added one (migration 0010), so listening costs the write path
 * nothing more and saves an idle sync up to one poll interval per change. The LISTEN connection
 * lives for one run; if it drops, the run polls until it is re-established.
 *
 * A worker crash is noticed within the heartbeat timeout and the run restarts on another worker;
 * Meilisearch or Postgres being down is retried inside the run with backoff; rows stay pending
 * until their index task has succeeded, so the sync catches up after any outage.
 */
import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SearchSyncRunResult } from '../activities/search/sync';

const { runSearchSync } = proxyActivities<Activities>({
  // A run lasts SEARCH_SYNC_RUN_MS (≤ 5 min); the heartbeat timeout is what detects a dead worker.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export const RUNS_PER_HISTORY = 200;

/** Sums over the runs of this history (and the histories before it). */
export type SearchSyncTotals = { runs: number } & Pick<
  SearchSyncRunResult,
  'batches' | 'rows' | 'upserts' | 'deletes' | 'unchanged' | 'errors'
>;

export interface SearchSyncStatus {
  /** When this chain of runs started (survives continue-as-new). */
  since: string;
  totals: SearchSyncTotals;
  lastRun: SearchSyncRunResult | null;
  lastError: string | null;
}

export const searchSyncStatusQuery = defineQuery<SearchSyncStatus>('searchSyncStatus');

export async function searchSync(carried?: SearchSyncStatus): Promise<never> {
  const status: SearchSyncStatus = carried ?? {
    since: new Date().toISOString(),
    totals: { runs: 0, batches: 0, rows: 0, upserts: 0, deletes: 0, unchanged: 0, errors: 0 },
    lastRun: null,
    lastError: null,
  };
  setHandler(searchSyncStatusQuery, () => status);
  for (let run = 0; run < RUNS_PER_HISTORY && !workflowInfo().continueAsNewSuggested; run++) {
    const r = await runSearchSync({});
    const t = status.totals;
    t.runs++;
    t.batches += r.batches;
    t.rows += r.rows;
    t.upserts += r.upserts;
    t.deletes += r.deletes;
    t.unchanged += r.unchanged;
    t.errors += r.errors;
    status.lastRun = r;
    if (r.lastError) status.lastError = r.lastError;
  }
  return await continueAsNew<typeof searchSync>(status);
}
