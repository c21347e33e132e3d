/**
 * Zero-downtime full reindex, in three idempotent steps the searchReindex workflow drives:
 *  1. prepare: (re)create `<prefix>products_tmp` with our settings; note the outbox position to
 *     replay from (before the oldest pending change) and how many products there are;
 *  2. copy: keyset pages of live products into tmp, one chunk per activity (progress is visible
 *     between chunks), waiting at the end of each chunk until Meilisearch has indexed it;
 *  3. swap: replay every outbox change since the mark onto tmp (changes made while copying), swap
 *     tmp and live atomically (Meilisearch `swapIndexes`), drop the old index, then replay the
 *     changes once more onto the new live index under the index writer lock, so a change the sync
 *     applied to the old index between the first replay and the swap is not lost.
 * Searches keep answering from the live index throughout; the swap is a single Meilisearch task.
 */

import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import { countLiveProducts, productsForIndex, productsPageForIndex } from '../../db/queries/search-documents';
import { changesAfter, markProcessedForSearch, replayMark, withSearchWriterLock } from '../../db/queries/search-outbox';
import { productIndexes } from '../../search/client';
import { toProductDocument } from '../../search/documents';
import { applyChanges, enqueueChanges, recreateProductIndex, swapIntoPlace, waitForTasks } from '../../search/indexes';
import { planIndexChanges, refsToLoad } from '../../search/sync-plan';
import { activityLog, heartbeat, keepHeartbeating, throwIfCancelled } from '../context';
import type { ActivityDeps } from '../deps';

export interface ReindexPlan {
  live: string;
  tmp: string;
  /** Uid of the Meilisearch task that created tmp: a swap after it belongs to this job. */
  createTaskUid: number;
  replayFrom: number;
  total: number;
}

export interface ReindexChunk {
  lastId: string | null;
  copied: number;
  done: boolean;
}

const REPLAY_PAGE = 1_000;
const REINDEX_TASK_TIMEOUT_MS = 10 * 60_000;

export function createSearchReindexActivities(deps: ActivityDeps) {
  const log = activityLog(deps);

  /**
   * Re-reads and writes every change after `afterId` onto `index`; returns the rows replayed.
   * Given the writer-lock connection (replay onto the live index), it also marks the rows
   * processed for the sync: their current state is in the index now.
   */
  async function replay(index: string, afterId: number, locked?: Kysely<Database>): Promise<number> {
    const db = locked ?? deps.db;
    let cursor = afterId;
    let rows = 0;
    for (;;) {
      const changes = await changesAfter(db, cursor, REPLAY_PAGE);
      if (!changes.length) return rows;
      const current = await productsForIndex(db, refsToLoad(changes));
      const plan = planIndexChanges(changes, current, deps.config.LOW_STOCK_THRESHOLD);
      await applyChanges(deps.meili, index, plan.upserts, plan.deletes);
      if (locked) {
        await markProcessedForSearch(
          locked,
          changes.map((c) => c.id),
        );
      }
      rows += changes.length;
      cursor = changes[changes.length - 1]?.id ?? cursor;
      heartbeat({ replayed: rows });
    }
  }

  return {
    async searchReindexPrepare(): Promise<ReindexPlan> {
      const { live, tmp } = productIndexes(deps.config.MEILI_INDEX_PREFIX);
      // The mark first: anything changing from now on is replayed, whatever the copy sees.
      const replayFrom = await replayMark(deps.db);
      const createTaskUid = await recreateProductIndex(deps.meili, tmp);
      const total = await countLiveProducts(deps.db);
      log.info('search reindex prepared', { tmp, live, total, replayFrom });
      return { live, tmp, createTaskUid, replayFrom, total };
    },

    /** Copies up to `maxDocs` live products with id > `afterId` into `tmp`, waiting until indexed. */
    async searchReindexCopy(input: { tmp: string; afterId: string | null; maxDocs: number }): Promise<ReindexChunk> {
      const pageSize = deps.config.SEARCH_REINDEX_PAGE_SIZE;
      let afterId = input.afterId;
      let copied = 0;
      let done = false;
      const tasks = [];
      const stopHeartbeat = keepHeartbeating(() => ({ copied }));
      try {
        while (copied < input.maxDocs) {
          await throwIfCancelled();
          const rows = await productsPageForIndex(deps.db, afterId, Math.min(pageSize, input.maxDocs - copied));
          if (rows.length) {
            const docs = rows.map((r) => toProductDocument(r, deps.config.LOW_STOCK_THRESHOLD));
            // Enqueue without waiting: Meilisearch batches consecutive additions to one index.
            tasks.push(...(await enqueueChanges(deps.meili, input.tmp, docs, [])));
            copied += rows.length;
            afterId = rows[rows.length - 1]?.id ?? afterId;
            heartbeat({ copied });
          }
          if (rows.length < pageSize) {
            done = true;
            break;
          }
        }
        // Meilisearch indexes the chunk after the last enqueue; that can take a while on a busy box.
        await waitForTasks(deps.meili, tasks, REINDEX_TASK_TIMEOUT_MS);
      } finally {
        stopHeartbeat();
      }
      return { lastId: afterId, copied, done };
    },

    async searchReindexSwap(plan: ReindexPlan): Promise<{ kind: 'swapped' | 'renamed'; replayedBefore: number; replayedAfter: number }> {
      // Changes made while copying, onto tmp (only this job writes tmp: no lock needed).
      // After a retry that follows a swap, tmp is gone or holds the old index; swapIntoPlace then
      // only finishes the earlier swap, so the replay target must be checked first.
      const stopHeartbeat = keepHeartbeating(() => ({ phase: 'swap' }));
      try {
        let replayedBefore = 0;
        if (await tmpStillAside(plan)) replayedBefore = await replay(plan.tmp, plan.replayFrom);
        const kind = await swapIntoPlace(deps.meili, plan.tmp, plan.live, plan.createTaskUid);
        // Changes the sync applied to the old index between the replay above and the swap; the
        // rows are marked processed, so the sync does not index a freshly seeded catalog twice.
        const replayedAfter =
          (await withSearchWriterLock(deps.db, { wait: true }, (conn) => replay(plan.live, plan.replayFrom, conn))) ?? 0;
        log.info('search index swapped', { kind, live: plan.live, replayedBefore, replayedAfter });
        return { kind, replayedBefore, replayedAfter };
      } finally {
        stopHeartbeat();
      }
    },
  };

  async function tmpStillAside(plan: ReindexPlan): Promise<boolean> {
    const swaps = await deps.meili.tasks.getTasks({ types: ['indexSwap'], indexUids: [plan.tmp], limit: 20 });
    return !swaps.results.some((t) => t.uid > plan.createTaskUid && t.status !== 'failed' && t.status !== 'canceled');
  }
}
