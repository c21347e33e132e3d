/**
 * Inventory operations (role ops; admin passes): the stock view of one sku, setting stock, and
 * bulk sync as a durable job. Every change is ledgered by the database (reason 'adjust' or
 * 'sync') and announced on the outbox (topic 'stock').
 */
import { randomUUID } from 'node:crypto';
import { taskQueues } from '../../config';
import { adjustStock, deleteSyncJob, getInventoryView, stageSyncJob } from '../../db/queries/inventory-ops';
import { orUnavailable } from '../../db/unavailable';
import { AppError, dependencyUnavailable } from '../../domain/errors';
import { MAX_SYNC_ROWS } from '../../domain/inventory-sync';
import {
  InventoryViewSchema,
  JobAcceptedSchema,
  SetStockBodySchema,
  SkuParamsSchema,
  SyncBodySchema,
} from '../../domain/schemas/inventory';
import { inventorySync, inventorySyncWorkflowId } from '../../workflows/inventory-sync';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

const OPS = ['ops'] as const;
/** Starting the sync workflow: answer 503 rather than hang when Temporal is away. */
const START_DEADLINE_MS = 2_000;

function productNotFound(sku: string): AppError {
  return new AppError('product_not_found', `No product with sku ${sku}`);
}

export function registerOpsInventoryRoutes(route: RouteRegistrar, deps: AppDeps): void {
  route({
    method: 'get',
    path: '/v1/ops/inventory/{sku}',
    summary: 'Stock of one sku: totals, per location, and the reservations holding it',
    tags: ['ops'],
    auth: OPS,
    params: SkuParamsSchema,
    responses: { 200: { description: 'the inventory view', schema: InventoryViewSchema } },
    errors: ['product_not_found', 'dependency_unavailable'],
    handler: async ({ params, res }) => {
      const view = await orUnavailable(getInventoryView(deps.db, params.sku));
      if (!view) throw productNotFound(params.sku);
      res.setHeader('Cache-Control', 'no-store');
      return view;
    },
  });

  route({
    method: 'put',
    path: '/v1/ops/inventory/{sku}',
    summary: 'Set on hand at one location (recorded in the stock ledger as an adjustment)',
    description:
      'Without `locationId` the sku’s only location is set (the first warehouse when it has none yet); a sku stocked at ' +
      'several locations needs `locationId` (400). On hand below what is reserved for orders is refused with 409 ' +
      '`stock_below_reserved`, never clamped. Answers the updated inventory view.',
    tags: ['ops'],
    auth: OPS,
    params: SkuParamsSchema,
    body: SetStockBodySchema,
    responses: { 200: { description: 'the updated inventory view', schema: InventoryViewSchema } },
    errors: ['product_not_found', 'stock_below_reserved', 'dependency_unavailable'],
    handler: async ({ params, body, res, log }) => {
      const r = await orUnavailable(adjustStock(deps.db, { sku: params.sku, onHand: body.onHand, locationId: body.locationId }));
      if (r.outcome === 'rejected') {
        switch (r.reason) {
          case 'unknown_sku':
            throw productNotFound(params.sku);
          case 'location_required':
            throw new AppError('invalid_request', `${params.sku} is stocked at several locations: say which one`, {
              errors: [{ path: 'locationId', message: `required: stocked at ${r.locations.join(', ')}` }],
            });
          case 'below_reserved':
            throw new AppError(
              'stock_below_reserved',
              `${r.reserved} units of ${params.sku} at ${r.locationId} are reserved for orders; on hand cannot go below that`,
              { extra: { sku: params.sku, locationId: r.locationId, requested: body.onHand, reserved: r.reserved, onHand: r.onHand } },
            );
        }
      }
      log.info({ sku: params.sku, ...r }, 'stock adjusted');
      const view = await orUnavailable(getInventoryView(deps.db, params.sku));
      if (!view) throw productNotFound(params.sku);
      res.setHeader('Cache-Control', 'no-store');
      return view;
    },
  });

  route({
    method: 'post',
    path: '/v1/ops/inventory/sync',
    summary: 'Bulk stock sync as a durable job',
    description:
      `Up to ${MAX_SYNC_ROWS} rows \`{ sku, onHand, locationId? }\` (body up to 16 MB), applied in batches by the ` +
      '`inventorySync` workflow, each row ledgered with reason `sync`. Rows for an unknown sku, without a location for a ' +
      'sku stocked at several, or below the reserved quantity are rejected one by one (see the job), never clamped. ' +
      'Answers 202 `{ jobId }`; follow it at `GET /v1/ops/jobs/{jobId}` (also in `Location`).',
    tags: ['ops'],
    auth: OPS,
    body: SyncBodySchema,
    bodyLimit: '16mb',
    responses: { 202: { description: 'job accepted', schema: JobAcceptedSchema } },
    errors: ['payload_too_large', 'dependency_unavailable'],
    handler: async ({ body, res, log }) => {
      const jobId = randomUUID();
      const workflowId = inventorySyncWorkflowId(jobId);
      // Staged in Postgres first: 100k rows would not fit through workflow history.
      await orUnavailable(stageSyncJob(deps.db, { jobId, workflowId, items: body.items }));
      try {
        await deps.temporal.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          deps.temporal.workflow.start(inventorySync, {
            workflowId,
            taskQueue: taskQueues(deps.config).sync,
            args: [{ jobId, total: body.items.length, batchSize: deps.config.INVENTORY_SYNC_BATCH_SIZE }],
          }),
        );
      } catch (err) {
        // A start that timed out may still have landed: only a job Temporal does not have is undone.
        const landed = await deps.temporal
          .withDeadline(Date.now() + 500, () => deps.temporal.workflow.getHandle(workflowId).describe())
          .then(
            () => true,
            () => false,
          );
        if (!landed) {
          await deleteSyncJob(deps.db, jobId).catch((e) => log.warn({ err: e, jobId }, 'could not remove a staged sync job'));
          throw dependencyUnavailable('temporal', err);
        }
      }
      log.info({ jobId, rows: body.items.length }, 'inventory sync started');
      res.status(202).setHeader('Location', `/v1/ops/jobs/${jobId}`);
      return { jobId };
    },
  });
}
