/**
 * The long-running workflows and schedules the system relies on, ensured in one place. Every
 * worker that polls the `sync` queue runs this at start (so a compose deployment gets the same
 * as `npm run dev`), and the dev stack runs it once more after its first index build. Idempotent:
 * N workers starting together, or a restart, create each thing once and adjust the rest.
 */
import type { Client } from '@temporalio/client';
import { ensureHoldSweepSchedule } from './inventory-schedules';
import { ensureSearchStarted } from './search-workflows';

type BackgroundConfig = Parameters<typeof ensureSearchStarted>[1] & Parameters<typeof ensureHoldSweepSchedule>[1];

export interface BackgroundStarted {
  /** Run id of the search outbox drain (`search-sync`). */
  searchSyncRunId: string;
  /** A first index build started because the live index was empty; null when it was not needed. */
  reindexJobId: string | null;
  /** The expired-holds safety net (`inventory-hold-sweep`). */
  holdSweep: 'created' | 'updated';
}

export async function ensureBackgroundWorkflows(
  client: Client,
  config: BackgroundConfig,
  liveIndexDocuments: () => Promise<number>,
): Promise<BackgroundStarted> {
  const [search, holdSweep] = await Promise.all([
    ensureSearchStarted(client, config, liveIndexDocuments),
    ensureHoldSweepSchedule(client, config),
  ]);
  return { searchSyncRunId: search.syncRunId, reindexJobId: search.reindexJobId, holdSweep };
}
