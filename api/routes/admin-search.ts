/**
 * Search index administration: a zero-downtime full reindex (build aside, then swap) as a durable
 * workflow, and its progress. One reindex at a time: a second request while one runs answers
 * with the running job.
 */
import { AppError, dependencyUnavailable } from '../../domain/errors';
import { ReindexJobParamsSchema, ReindexJobSchema, ReindexStartedSchema } from '../../domain/schemas/search';
import { describeReindex, startReindex } from '../../temporal/search-workflows';
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
}
