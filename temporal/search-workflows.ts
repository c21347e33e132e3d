/**
 * Starting and inspecting the search workflows, shared by the API, the stack and the benchmark:
 * one place for their ids (prefixed like the task queues, so test runs and files stay apart) and
 * for "start it unless it is already running".
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type Config, taskQueues } from '../config';
import type { ReindexJob, ReindexProgress } from '../domain/schemas/search';
import { searchReindex, searchReindexProgressQuery } from '../workflows/search-reindex';
import { searchSync } from '../workflows/search-sync';

type SearchConfig = Pick<Config, 'TEMPORAL_TASK_QUEUE_PREFIX' | 'SEARCH_REINDEX_CHUNK_SIZE'>;

export function searchWorkflowIds(config: Pick<Config, 'TEMPORAL_TASK_QUEUE_PREFIX'>) {
  const p = config.TEMPORAL_TASK_QUEUE_PREFIX;
  return { sync: `${p}search-sync`, reindex: `${p}search-reindex` } as const;
}

/** Starts the outbox drain unless it runs already (idempotent). */
export async function ensureSearchSync(client: Client, config: SearchConfig): Promise<{ workflowId: string; runId: string }> {
  const workflowId = searchWorkflowIds(config).sync;
  const handle = await client.workflow.start(searchSync, {
    workflowId,
    taskQueue: taskQueues(config).sync,
    args: [],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}

/** Starts a full reindex, or joins the one running. The job id is the workflow run id. */
export async function startReindex(
  client: Client,
  config: SearchConfig,
): Promise<{ jobId: string; workflowId: string; alreadyRunning: boolean }> {
  const workflowId = searchWorkflowIds(config).reindex;
  try {
    const running = await client.workflow.getHandle(workflowId).describe();
    if (running.status.name === 'RUNNING') return { jobId: running.runId, workflowId, alreadyRunning: true };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const handle = await client.workflow.start(searchReindex, {
    workflowId,
    taskQueue: taskQueues(config).sync,
    args: [{ chunkSize: config.SEARCH_REINDEX_CHUNK_SIZE }],
    // A concurrent request that got here first wins; this one joins its job.
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { jobId: handle.firstExecutionRunId, workflowId, alreadyRunning: false };
}

/** A reindex job's state; undefined when there is no such job. */
export async function describeReindex(client: Client, config: SearchConfig, jobId: string): Promise<ReindexJob | undefined> {
  const workflowId = searchWorkflowIds(config).reindex;
  const handle = client.workflow.getHandle<typeof searchReindex>(workflowId, jobId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  if (status === 'RUNNING') {
    const progress = await handle.query(searchReindexProgressQuery).catch(() => null);
    return { jobId, workflowId, status: 'running', progress };
  }
  if (status === 'COMPLETED') {
    const progress: ReindexProgress = await handle.result();
    return { jobId, workflowId, status: 'completed', progress };
  }
  let error = `reindex ${status.toLowerCase()}`;
  try {
    await handle.result();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    error = cause?.message ? `${error}: ${cause.message}` : error;
  }
  return { jobId, workflowId, status: 'failed', progress: null, error };
}

/** Runs a reindex (or joins the running one) and waits for it to finish. */
export async function reindexAndWait(client: Client, config: SearchConfig): Promise<ReindexProgress> {
  const { jobId, workflowId } = await startReindex(client, config);
  return await client.workflow.getHandle<typeof searchReindex>(workflowId, jobId).result();
}

/**
 * What a deployment's worker does on start (docker compose has no `npm run dev` steps): make sure
 * the sync runs, and start a reindex (without waiting) when the live index is missing or empty.
 * Idempotent, so N workers starting together do it once.
 */
export async function ensureSearchStarted(
  client: Client,
  config: SearchConfig & Pick<Config, 'MEILI_INDEX_PREFIX'>,
  liveIndexDocuments: () => Promise<number>,
): Promise<{ syncRunId: string; reindexJobId: string | null }> {
  const reindex = (await liveIndexDocuments()) === 0 ? await startReindex(client, config) : null;
  const sync = await ensureSearchSync(client, config);
  return { syncRunId: sync.runId, reindexJobId: reindex?.jobId ?? null };
}
