/**
 * Index operations the sync and the reindex share: create an index with our settings, write
 * documents and wait until Meilisearch has applied them (a task that fails is an error, never
 * silently "done"), and swap a rebuilt index into place.
 */
import type { EnqueuedTask, Meilisearch, Task } from 'meilisearch';
import type { ProductDocument } from './documents';
import { meiliErrorCode } from './errors';
import { productIndexSettings } from './settings';

/** How long to wait for a Meilisearch task before the caller retries. */
export const TASK_TIMEOUT_MS = 60_000;
const POLL_MS = 25;

export class MeiliTaskFailedError extends Error {
  constructor(task: Task) {
    super(`Meilisearch task ${task.uid} (${task.type} on ${task.indexUid ?? '-'}) ${task.status}: ${task.error?.message ?? 'no error'}`);
    this.name = 'MeiliTaskFailedError';
  }
}

/**
 * Waits for every task; throws if one did not succeed. `pollMs`: how often the task is asked
 * for — the sync polls faster (a small update takes ~100 ms, and every poll interval is lag).
 */
export async function waitForTasks(
  meili: Meilisearch,
  tasks: Array<EnqueuedTask | number>,
  timeoutMs = TASK_TIMEOUT_MS,
  pollMs = POLL_MS,
): Promise<Task[]> {
  const done: Task[] = [];
  for (const t of tasks) {
    const task = await meili.tasks.waitForTask(typeof t === 'number' ? t : t.taskUid, { timeout: timeoutMs, interval: pollMs });
    if (task.status !== 'succeeded') throw new MeiliTaskFailedError(task);
    done.push(task);
  }
  return done;
}

export async function indexExists(meili: Meilisearch, uid: string): Promise<boolean> {
  try {
    await meili.getRawIndex(uid);
    return true;
  } catch (err) {
    if (meiliErrorCode(err) === 'index_not_found') return false;
    throw err;
  }
}

/** Creates the index with our settings when it does not exist; true when it created it. */
export async function ensureProductIndex(meili: Meilisearch, uid: string): Promise<boolean> {
  if (await indexExists(meili, uid)) return false;
  const created = await meili.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: TASK_TIMEOUT_MS, interval: POLL_MS });
  // Another process may have created it first: that is fine, the settings below are the same.
  if (created.status !== 'succeeded' && created.error?.code !== 'index_already_exists') throw new MeiliTaskFailedError(created);
  await waitForTasks(meili, [await meili.index(uid).updateSettings(productIndexSettings())]);
  return true;
}

/** Drops `uid` if present and creates it empty with our settings; returns the creation task uid. */
export async function recreateProductIndex(meili: Meilisearch, uid: string): Promise<number> {
  await waitForTasks(meili, [await meili.deleteIndex(uid)]).catch(ignoreNotFound);
  const [created] = await waitForTasks(meili, [await meili.createIndex(uid, { primaryKey: 'id' })]);
  await waitForTasks(meili, [await meili.index(uid).updateSettings(productIndexSettings())]);
  return created?.uid ?? 0;
}

/** Enqueues upserts and deletions; the caller waits (or pipelines) with `waitForTasks`. */
export async function enqueueChanges(
  meili: Meilisearch,
  uid: string,
  upserts: readonly ProductDocument[],
  deleteIds: readonly string[],
): Promise<EnqueuedTask[]> {
  const tasks: EnqueuedTask[] = [];
  const index = meili.index<ProductDocument>(uid);
  if (upserts.length) tasks.push(await index.addDocuments([...upserts], { primaryKey: 'id' }));
  if (deleteIds.length) tasks.push(await index.deleteDocuments([...deleteIds]));
  return tasks;
}

export async function applyChanges(
  meili: Meilisearch,
  uid: string,
  upserts: readonly ProductDocument[],
  deleteIds: readonly string[],
  pollMs = POLL_MS,
): Promise<void> {
  await waitForTasks(meili, await enqueueChanges(meili, uid, upserts, deleteIds), TASK_TIMEOUT_MS, pollMs);
}

/**
 * Puts the rebuilt `tmp` in place of `live` atomically (searches see the old or the new index,
 * never a mix or nothing) and drops the old one. Idempotent: a swap already enqueued after the
 * tmp index's creation (task `sinceTaskUid`) is awaited, not repeated — swapping twice would
 * bring the old index back.
 */
export async function swapIntoPlace(meili: Meilisearch, tmp: string, live: string, sinceTaskUid: number): Promise<'swapped' | 'renamed'> {
  const previous = await meili.tasks.getTasks({ types: ['indexSwap'], indexUids: [tmp], limit: 20 });
  const earlier = previous.results.find((t) => t.uid > sinceTaskUid && t.status !== 'failed' && t.status !== 'canceled');
  let kind: 'swapped' | 'renamed';
  if (earlier) {
    await waitForTasks(meili, [earlier.uid]);
    kind = earlier.details?.swaps?.[0]?.rename ? 'renamed' : 'swapped';
  } else {
    // No live index yet (first start): rename the rebuilt one; else exchange the two.
    const rename = !(await indexExists(meili, live));
    await waitForTasks(meili, [await meili.swapIndexes([{ indexes: [tmp, live], rename }])]);
    kind = rename ? 'renamed' : 'swapped';
  }
  if (kind === 'swapped') await waitForTasks(meili, [await meili.deleteIndex(tmp)]).catch(ignoreNotFound);
  return kind;
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof MeiliTaskFailedError) || !/not found/i.test(err.message)) throw err;
}
