/**
 * Search index administration: a zero-downtime full reindex (build aside, then swap) as a durable
 * workflow, and its progress. One reindex at a time: a second request while one runs answers
 * with the running job.
 */
import { searchBacklog } from '../../db/queries/search-outbox';
import { orUnavailable } from '../../db/unavailable';
import { AppError, dependencyUnavailable } from '../../domain/errors';
import {
  ReindexJobParamsSchema,
  ReindexJobSchema,
  ReindexStartedSchema,
  SearchSyncStatusSchema,
  type SearchSyncStatusView,
} from '../../domain/schemas/search';
import { describeReindex, searchWorkflowIds, startReindex } from '../../temporal/search-workflows';
import { searchSyncStatusQuery } from '../../workflows/search-sync';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

const TEMPORAL_DEADLINE_MS = 5_000;

export function registerAdminSearchRoutes(route: RouteRegistrar, deps: AppDeps): void {
  /** Temporal calls with a deadline; anything but our own errors means Temporal is unavailable. */
  async function temporal<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await deps.temporalConnection.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, fn);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw dependencyUnavailable('temporal', err);
    }
  }

  route({
    method: 'post',
    path: '/v1/admin/search/reindex',
    summary: 'Rebuild the search index with zero downtime',
    description:
      'Builds a new product index from Postgres aside, replays changes made meanwhile, then swaps it in atomically; ' +
      'search keeps answering from the current index throughout. Answers 202 with the job; follow `statusUrl`.',
    tags: ['search', 'admin'],
    auth: ['admin'],
    errors: ['dependency_unavailable'],
    responses: { 202: { description: 'Reindex started (or already running)', schema: ReindexStartedSchema } },
    handler: async ({ res }) => {
      const job = await temporal(() => startReindex(deps.temporal, deps.config));
      const statusUrl = `/v1/admin/search/reindex/${job.jobId}`;
      res.status(202).setHeader('Location', statusUrl);
      return { ...job, status: 'running' as const, statusUrl };
    },
  });

  route({
    method: 'get',
    path: '/v1/admin/search/reindex/{jobId}',
    summary: 'Progress of a reindex job',
    tags: ['search', 'admin'],
    auth: ['ops'],
    params: ReindexJobParamsSchema,
    errors: ['not_found', 'dependency_unavailable'],
    responses: { 200: { description: 'The job: running (with progress), completed or failed', schema: ReindexJobSchema } },
    handler: async ({ params, res }) => {
      const job = await temporal(() => describeReindex(deps.temporal, deps.config, params.jobId));
      if (!job) throw new AppError('not_found', `No reindex job ${params.jobId}`);
      res.setHeader('Cache-Control', 'no-store');
      return job;
    },
  });

  route({
    method: 'get',
    path: '/v1/admin/search/sync',
    summary: 'Search sync status: backlog and lag, last run, last error',
    description:
      'The outbox backlog comes from Postgres (always answered); the searchSync workflow’s totals, last run and last error ' +
      'from its query (`workflow: null` when it is not running or Temporal does not answer within 1.5 s).',
    tags: ['search', 'admin'],
    auth: ['ops'],
    errors: ['dependency_unavailable'],
    responses: { 200: { description: 'the sync status', schema: SearchSyncStatusSchema } },
    handler: async ({ res, log }): Promise<SearchSyncStatusView> => {
      const backlog = await orUnavailable(searchBacklog(deps.db));
      const workflowId = searchWorkflowIds(deps.config).sync;
      const workflow = await deps.temporalConnection
        .withDeadline(Date.now() + 1_500, () => deps.temporal.workflow.getHandle(workflowId).query(searchSyncStatusQuery))
        .then(
          (s) => ({ workflowId, ...s }),
          (err: unknown) => {
            log.debug({ err }, 'search sync status query unanswered');
            return null;
          },
        );
      res.setHeader('Cache-Control', 'no-store');
      return {
        backlog: {
          pending: backlog.pending,
          oldestAt: backlog.oldestAt ? backlog.oldestAt.toISOString() : null,
          lagSeconds: backlog.oldestAt ? Math.max(0, (Date.now() - backlog.oldestAt.getTime()) / 1000) : 0,
        },
        workflow,
      };
    },
  });
}
