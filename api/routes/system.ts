import { sql } from 'kysely';
import { z } from '../../domain/schemas/common';
import { checkAll } from '../../observability/readiness';
import { checkTemporal } from '../../temporal/client';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

// Each dependency's status and nothing more (contract v1.1): no error text, no host names, no
// timings. The reason a dependency is down goes to the log, for operators.
const CheckSchema = z.strictObject({ status: z.enum(['ok', 'down']) });
const ReadySchema = z
  .strictObject({
    status: z.enum(['ok', 'unavailable']),
    checks: z.strictObject({ postgres: CheckSchema, redis: CheckSchema, temporal: CheckSchema, meilisearch: CheckSchema }),
  })
  .openapi('Readiness');

export function registerSystemRoutes(route: RouteRegistrar, deps: AppDeps, openApiDocument: () => unknown): void {
  route({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process is up',
    tags: ['system'],
    auth: 'public',
    responses: { 200: { description: 'up', schema: z.object({ status: z.literal('ok') }) } },
    handler: () => ({ status: 'ok' }),
  });

  route({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Postgres, Redis, Temporal and Meilisearch each reported',
    tags: ['system'],
    auth: 'public',
    responses: {
      200: { description: 'every dependency answers', schema: ReadySchema },
      503: { description: 'at least one dependency is down', schema: ReadySchema },
    },
    handler: async ({ res, log }) => {
      const { ok, checks } = await checkAll({
        postgres: () => sql`SELECT 1`.execute(deps.db),
        redis: () => deps.redis.ping(),
        temporal: () => checkTemporal(deps.temporalConnection),
        meilisearch: () => deps.meili.health(),
      });
      if (!ok) log.warn({ checks }, 'not ready: a dependency is down');
      res.status(ok ? 200 : 503).setHeader('Cache-Control', 'no-store');
      return {
        status: ok ? 'ok' : 'unavailable',
        checks: Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, { status: c.status }])),
      };
    },
  });

  route({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (ops role: internals are not public)',
    description: 'Scrape with `Authorization: Bearer <ops key>` (Prometheus: `authorization: { credentials_file: … }`).',
    tags: ['system'],
    auth: ['ops'],
    responses: { 200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' } },
    handler: async ({ res }) => {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  });

  route({
    method: 'get',
    path: '/openapi.json',
    summary: 'This API, described from the schemas that validate it',
    tags: ['system'],
    auth: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
    handler: () => openApiDocument(),
  });
}
