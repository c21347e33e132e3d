/**
 * searchReindex (`search-reindex`, queue `sync`): rebuilds the product index aside and swaps it in
 * (see activities/search/reindex.ts). One at a time: the API and the stack start it with the
 * fixed workflow id and conflict policy USE_EXISTING, so a second request joins the running job;
 * the job id is the run id. Progress is a query while it runs and the result when it is done.
 */
import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReindexChunk } from '../activities/search/reindex';
import type { ReindexProgress } from '../domain/schemas/search';

const { searchReindexPrepare, searchReindexCopy, searchReindexSwap } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export const searchReindexProgressQuery = defineQuery<ReindexProgress>('searchReindexProgress');

export interface SearchReindexInput {
  /** Products per copy activity (SEARCH_REINDEX_CHUNK_SIZE, passed by whoever starts the job). */
  chunkSize: number;
}

export async function searchReindex(input: SearchReindexInput): Promise<ReindexProgress> {
  const started = Date.now();
  const progress: ReindexProgress = {
    phase: 'preparing',
    total: 0,
    indexed: 0,
    startedAt: new Date(started).toISOString(),
    finishedAt: null,
    docsPerSecond: null,
    index: '',
  };
  setHandler(searchReindexProgressQuery, () => progress);

  const plan = await searchReindexPrepare();
  progress.index = plan.live;
  progress.total = plan.total;
  progress.phase = 'indexing';
  let afterId: string | null = null;
  for (;;) {
    const chunk: ReindexChunk = await searchReindexCopy({ tmp: plan.tmp, afterId, maxDocs: Math.max(1, input.chunkSize) });
    progress.indexed += chunk.copied;
    progress.total = Math.max(progress.total, progress.indexed);
    afterId = chunk.lastId;
    if (chunk.done) break;
  }
  progress.phase = 'swapping';
  await searchReindexSwap(plan);
  const finished = Date.now();
  progress.phase = 'done';
  progress.finishedAt = new Date(finished).toISOString();
  progress.docsPerSecond = Math.round((progress.indexed / Math.max(1, finished - started)) * 1000);
  return progress;
}
