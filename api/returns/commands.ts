/**
 * The API side of returns: POST /v1/orders/{id}/returns is Update-with-Start on `return-{id}`
 * (the id derived from the order and the Idempotency-Key, so the same key is the same return;
 * the Update id from the request hash, so identical concurrent requests attach to one Update),
 * and every support/ops action is an Update whose validator — the workflow, authority on its own
 * state — accepts or refuses it. Reads come from Postgres.
 */
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { taskQueues } from '../../config';
import { getOrderHead, getOrderRecord } from '../../db/queries/orders';
import { getReturnHead, getReturnRecord, quantityProblems, RETURN_REJECTION_SCOPE, returnEligibility } from '../../db/queries/returns';
import { AppError, dependencyUnavailable, type ErrorCode } from '../../domain/errors';
import { requestHash } from '../../domain/orders/identity';
import { returnIdFor, returnWorkflowId } from '../../domain/returns/identity';
import type { ReturnPolicy, ReturnRefusal, ReturnWorkflowInput } from '../../domain/returns/types';
import type { RequestReturnBody, ReturnView } from '../../domain/schemas/returns';
import { CustomerIdAttr, OrderIdAttr, ReturnStatusAttr } from '../../temporal/search-attributes';
import { orderReturn, requestReturnUpdate } from '../../workflows/return';
import type { AppDeps } from '../deps';
import { isTemporalUnavailable, updateFailureCode } from '../orders/temporal-errors';
import { toReturnView } from './view';

const DAY = 86_400_000;

export function returnPolicy(config: AppDeps['config']): ReturnPolicy {
  return {
    windowMs: config.RETURN_WINDOW_DAYS * DAY,
    labelValidMs: config.RETURN_LABEL_DAYS * DAY,
    step: {
      maximumAttempts: config.ORDER_STEP_MAX_ATTEMPTS,
      initialIntervalMs: config.ORDER_STEP_RETRY_INITIAL_MS,
      maximumIntervalMs: config.ORDER_STEP_RETRY_MAX_MS,
    },
    poll: { initialMs: config.TRACKING_POLL_INITIAL_SECONDS * 1000, maxMs: config.TRACKING_POLL_MAX_SECONDS * 1000 },
  };
}

const REQUEST_WAIT_MS = 5_000;

export function createReturnCommands(deps: AppDeps) {
  const queue = taskQueues(deps.config).orders;
  const policy = returnPolicy(deps.config);

  const db = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw dependencyUnavailable('postgres', err);
    }
  };

  const load = async (returnId: string): Promise<ReturnView> => {
    const rec = await db(() => getReturnRecord(deps.db, returnId));
    if (!rec) throw new AppError('return_not_found', `No return ${returnId}`);
    return toReturnView(rec);
  };

  const head = async (returnId: string) => {
    const h = await db(() => getReturnHead(deps.db, returnId));
    if (!h) throw new AppError('return_not_found', `No return ${returnId}`);
    return h;
  };

  const refusalError = (r: ReturnRefusal) => new AppError(r.code, r.detail);
  const reused = () =>
    new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different return request', {
      errors: [{ path: 'Idempotency-Key', message: 'already used with a different body' }],
    });

  /** The answer for a return whose workflow has closed (or whose request was refused). */
  const fromClosed = async (returnId: string, hash: string): Promise<{ status: 201; ret: ReturnView }> => {
    const [refusal, h] = await db(() =>
      Promise.all([
        deps.db
          .selectFrom('idempotency_keys')
          .select(['request_hash', 'response'])
          .where('scope', '=', RETURN_REJECTION_SCOPE)
          .where('key', '=', returnId)
          .executeTakeFirst(),
        getReturnHead(deps.db, returnId),
      ]),
    );
    if (refusal) {
      if (refusal.request_hash !== hash) throw reused();
      throw refusalError(refusal.response as unknown as ReturnRefusal);
    }
    if (h) {
      if (h.request_hash !== hash) throw reused();
      return { status: 201, ret: await load(returnId) };
    }
    throw new AppError('return_not_found', 'This return was closed without a record; use a new Idempotency-Key');
  };

  /**
   * Requests a return: fast refusals from Postgres first (not delivered, window closed, unknown
   * sku, too many units — advisory: the workflow's insert is checked again under the order line's
   * lock), then Update-with-Start. 201 once the return is written; 202 if that takes longer.
   */
  async function request(orderId: string, body: RequestReturnBody, key: string): Promise<{ status: 201 | 202; ret: ReturnView }> {
    const returnId = returnIdFor(orderId, key);
    const hash = requestHash(body);
    const [order, existing] = await db(() => Promise.all([getOrderHead(deps.db, orderId), getReturnHead(deps.db, returnId)]));
    if (!order) throw new AppError('order_not_found', `No order ${orderId}`);
    if (existing) {
      if (existing.request_hash !== hash) throw reused();
      return { status: 201, ret: await load(returnId) };
    }
    const eligibility = await db(() => returnEligibility(deps.db, orderId, policy.windowMs));
    if (!eligibility.ok) throw new AppError('return_not_allowed', `This order cannot be returned: ${eligibility.detail}`);
    const problems = quantityProblems(body.items, eligibility.remaining);
    if (problems.length) throw new AppError('return_not_allowed', 'Some items cannot be returned', { errors: problems });

    const input: ReturnWorkflowInput = {
      returnId,
      orderId,
      customerId: order.customer_id,
      idempotencyKey: key,
      requestHash: hash,
      items: body.items,
      reason: body.reason,
      policy,
    };
    // By function reference: the workflow type and its argument types come from the function itself.
    const op = new WithStartWorkflowOperation(orderReturn, {
      workflowId: returnWorkflowId(returnId),
      taskQueue: queue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: OrderIdAttr, value: orderId },
        { key: CustomerIdAttr, value: order.customer_id },
        { key: ReturnStatusAttr, value: 'requested' },
      ],
    });
    try {
      const result = await deps.temporalConnection.withDeadline(Date.now() + REQUEST_WAIT_MS, () =>
        deps.temporal.workflow.executeUpdateWithStart(requestReturnUpdate, {
          args: [{ requestHash: hash }],
          updateId: `request-${hash.slice(0, 32)}`,
          startWorkflowOperation: op,
        }),
      );
      if (result.outcome === 'refused') throw refusalError(result.refusal);
      return { status: 201, ret: await load(returnId) };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof WorkflowExecutionAlreadyStartedError) return fromClosed(returnId, hash);
      const known = updateFailureCode(err);
      if (known) throw known;
      if (!isTemporalUnavailable(err)) throw err;
      const rec = await db(() => getReturnRecord(deps.db, returnId));
      if (rec) return { status: 202, ret: toReturnView(rec) };
      throw dependencyUnavailable('temporal', err);
    }
  }

  /**
   * Sends an Update to the return's workflow and answers the return afterwards (200), or as it
   * stands when the workflow is still working past the deadline (202). A closed workflow cannot
   * change any more: `closedCode`.
   */
  async function send<Ret, A>(
    returnId: string,
    update: UpdateDefinition<Ret, [A]>,
    arg: A,
    opts: { timeoutMs: number; closedCode: ErrorCode; closedDetail: string },
  ): Promise<{ done: boolean; ret: ReturnView }> {
    const h = await head(returnId);
    const handle = deps.temporal.workflow.getHandle(h.workflow_id);
    try {
      await deps.temporalConnection.withDeadline(Date.now() + opts.timeoutMs, () => handle.executeUpdate(update, { args: [arg] }));
      return { done: true, ret: await load(returnId) };
    } catch (err) {
      const known = updateFailureCode(err);
      if (known) throw known;
      if (err instanceof WorkflowNotFoundError) throw new AppError(opts.closedCode, opts.closedDetail, { cause: err });
      if (isTemporalUnavailable(err)) {
        const reachable = await deps.temporalConnection
          .withDeadline(Date.now() + 1_000, () => handle.describe())
          .then(
            () => true,
            () => false,
          );
        if (reachable) return { done: false, ret: await load(returnId) };
        throw dependencyUnavailable('temporal', err);
      }
      throw new AppError('internal', 'An unexpected error occurred', { cause: err });
    }
  }

  const orderHead = async (orderId: string) => {
    const h = await db(() => getOrderHead(deps.db, orderId));
    if (!h) throw new AppError('order_not_found', `No order ${orderId}`);
    return h;
  };

  return { request, send, load, head, orderHead, orderRecord: (id: string) => db(() => getOrderRecord(deps.db, id)) };
}
