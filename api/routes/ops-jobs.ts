/**
 * Background jobs (bulk stock sync): status and progress. While the workflow runs, progress comes
 * from its query; once closed, from its result. When Temporal cannot be asked (down, or the
 * workflow's history is past retention) the rows' recorded outcomes in Postgres answer instead.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { getSyncJob, syncJobProgressFromRows } from '../../db/queries/inventory-ops';
import { orUnavailable } from '../../db/unavailable';
import { AppError } from '../../domain/errors';
import type { InventorySyncProgress } from '../../domain/inventory-sync';
import { type Job, JobParamsSchema, JobSchema } from '../../domain/schemas/inventory';
import type { Logger } from '../../observability/logger';
import { inventorySyncProgressQuery } from '../../workflows/inventory-sync';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

const TEMPORAL_DEADLINE_MS = 1_500;

type SyncJobRow = NonNullable<Awaited<ReturnType<typeof getSyncJob>>>;

function fromProgress(job: SyncJobRow, status: Job['status'], p: InventorySyncProgress): Job {
  return {
    jobId: job.id,
    type: job.type,
    status,
    total: p.total,
    processed: p.processed,
    applied: p.applied,
    unchanged: p.unchanged,
    rejectedCount: p.rejectedCount,
    rejected: p.rejected,
    startedAt: p.startedAt,
    ...(p.finishedAt ? { finishedAt: p.finishedAt } : {}),
  };
}

async function fromRows(deps: AppDeps, job: SyncJobRow, status?: Job['status']): Promise<Job> {
  const p = await orUnavailable(syncJobProgressFromRows(deps.db, job.id));
  return {
    jobId: job.id,
    type: job.type,
    // Without Temporal's word: every row decided means done.
    status: status ?? (p.processed >= job.total ? 'completed' : 'running'),
    total: job.total,
    ...p,
    startedAt: job.created_at.toISOString(),
  };
}

async function describeJob(deps: AppDeps, job: SyncJobRow, log: Logger): Promise<Job> {
  const handle = deps.temporal.workflow.getHandle(job.workflow_id);
  const deadline = () => Date.now() + TEMPORAL_DEADLINE_MS;
  try {
    const d = await deps.temporal.withDeadline(deadline(), () => handle.describe());
    switch (d.status.name) {
      case 'RUNNING':
        return fromProgress(job, 'running', await deps.temporal.withDeadline(deadline(), () => handle.query(inventorySyncProgressQuery)));
      case 'COMPLETED':
        return fromProgress(
          job,
          'completed',
          (await deps.temporal.withDeadline(deadline(), () => handle.result())) as InventorySyncProgress,
        );
      default: {
        const failed = await fromRows(deps, job, 'failed');
        return { ...failed, ...(d.closeTime ? { finishedAt: d.closeTime.toISOString() } : {}) };
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof WorkflowNotFoundError) {
      // Past retention (or never started): it ran to its end long ago; the rows tell how far it got.
      const p = await fromRows(deps, job);
      return { ...p, status: p.processed >= job.total ? 'completed' : 'failed' };
    }
    log.warn({ err, jobId: job.id }, 'temporal unavailable; job progress from Postgres');
    return fromRows(deps, job);
  }
}

export function registerOpsJobRoutes(route: RouteRegistrar, deps: AppDeps): void {
  route({
    method: 'get',
    path: '/v1/ops/jobs/{jobId}',
    summary: 'Status and progress of a background job (bulk stock sync)',
    tags: ['ops'],
    auth: ['ops'],
    params: JobParamsSchema,
    responses: { 200: { description: 'the job', schema: JobSchema } },
    errors: ['job_not_found', 'dependency_unavailable'],
    handler: async ({ params, res, log }) => {
      const job = await orUnavailable(getSyncJob(deps.db, params.jobId));
      if (!job) throw new AppError('job_not_found', `No job ${params.jobId}`);
      res.setHeader('Cache-Control', 'no-store');
      return describeJob(deps, job, log);
    },
  });
}
