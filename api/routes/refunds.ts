/**
 * Goodwill refunds (contract v1.1): `POST /v1/ops/orders/{id}/refunds`, support, Idempotency-Key.
 * Sent as the `refund` Update to the order's workflow id with Update-with-Start: the order's own
 * run takes it while open; once that run has closed, an `orderRefunds` run is started under the
 * same id (ALLOW_DUPLICATE) — so the order's workflow id stays the one writer of its goodwill
 * money. Never above captured − refunded (Postgres, 409 `refund_exceeds_captured`).
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { taskQueues } from '../../config';
import { findRefundByKey, refundableLeft } from '../../db/queries/returns';
import { AppError, dependencyUnavailable } from '../../domain/errors';
import { orderWorkflowId, requestHash } from '../../domain/orders/identity';
import { goodwillRefundKey } from '../../domain/returns/identity';
import { OrderIdParamsSchema, OrderSchema } from '../../domain/schemas/orders';
import { GoodwillRefundBodySchema, IdempotentHeadersSchema } from '../../domain/schemas/returns';
import { CustomerIdAttr, OrderIdAttr } from '../../temporal/search-attributes';
import { orderRefunds, refundOrderUpdate } from '../../workflows/order';
import type { AppDeps } from '../deps';
import { createOrderCommands } from '../orders/commands';
import { orderPolicy } from '../orders/placement';
import { isTemporalUnavailable, updateFailureCode } from '../orders/temporal-errors';
import type { RouteRegistrar } from '../route';

export function registerRefundRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const commands = createOrderCommands(deps);
  const policy = orderPolicy(deps.config);
  const queue = taskQueues(deps.config).orders;

  route({
    method: 'post',
    path: '/v1/ops/orders/{id}/refunds',
    summary: 'A goodwill refund without a return (idempotent by Idempotency-Key)',
    description:
      "Refunds `amount` of the order's captured payment through the payment provider, through the order's workflow (one writer of the " +
      "order's money). Never above captured − already refunded: 409 `refund_exceeds_captured`. 201 with the order (its `refunds` and " +
      '`refunded` total); the same key again returns the same refund, with another body 422.',
    tags: ['operations', 'returns'],
    auth: ['support'],
    params: OrderIdParamsSchema,
    headers: IdempotentHeadersSchema,
    body: GoodwillRefundBodySchema,
    responses: {
      201: { description: 'refunded: the order with its refunds', schema: OrderSchema },
      202: { description: 'the refund is still running; the order as it stands', schema: OrderSchema },
    },
    errors: ['order_not_found', 'refund_exceeds_captured', 'idempotency_key_reused', 'dependency_unavailable'],
    handler: async ({ params, body, headers, role, res }) => {
      const key = headers['idempotency-key'];
      const head = await commands.head(params.id);
      const record = await commands.load(params.id);
      if (body.amount.currency !== record.totals.total.currency) {
        throw new AppError('invalid_request', `Refunds are in the order's currency (${record.totals.total.currency})`, {
          errors: [{ path: 'amount.currency', message: `must be ${record.totals.total.currency}` }],
        });
      }
      const hash = requestHash(body);
      const existing = await findRefundByKey(deps.db, goodwillRefundKey(params.id, key));
      if (existing) {
        if (existing.request_hash !== hash) {
          throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different refund', {
            errors: [{ path: 'Idempotency-Key', message: 'already used with a different body' }],
          });
        }
        if (existing.status === 'succeeded') {
          res.status(201);
          return record;
        }
      } else {
        // Fast, advisory: Postgres decides again under the order row's lock.
        const left = await refundableLeft(deps.db, params.id);
        if (body.amount.amount > left) {
          throw new AppError('refund_exceeds_captured', `At most ${Math.max(left, 0)} can be refunded (captured − already refunded)`);
        }
      }
      const op = new WithStartWorkflowOperation(orderRefunds, {
        workflowId: orderWorkflowId(params.id),
        taskQueue: queue,
        args: [{ orderId: params.id, policy }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // The order's run has closed: a refunds-only run under the same id takes the refund.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: [
          { key: OrderIdAttr, value: params.id },
          { key: CustomerIdAttr, value: head.customer_id },
        ],
      });
      try {
        await deps.temporalConnection.withDeadline(Date.now() + 15_000, () =>
          deps.temporal.workflow.executeUpdateWithStart(refundOrderUpdate, {
            args: [
              {
                idempotencyKey: key,
                requestHash: hash,
                amount: body.amount.amount,
                currency: body.amount.currency,
                reason: body.reason,
                by: role ?? 'support',
              },
            ],
            updateId: `refund-${hash.slice(0, 16)}-${goodwillRefundKey(params.id, key).slice(-22)}`,
            startWorkflowOperation: op,
          }),
        );
      } catch (err) {
        const known = updateFailureCode(err);
        if (known) throw known;
        if (isTemporalUnavailable(err)) {
          res.status(202);
          return commands.load(params.id);
        }
        throw dependencyUnavailable('temporal', err);
      }
      res.status(201);
      return commands.load(params.id);
    },
  });
}
