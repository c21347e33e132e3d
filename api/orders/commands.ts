/**
 * Commands on a running order workflow (cancel, retry, manual status): each is an Update, so the
 * workflow's validator — the authority on its own state — accepts or refuses it (409s), and the
 * caller learns the outcome synchronously. Bounded by a deadline: past it, the command keeps
 * running in the workflow and the caller gets the order as it stands (202).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { AppError, dependencyUnavailable, type ErrorCode } from '../../domain/errors';
import { orderWorkflowId } from '../../domain/orders/identity';
import type { OrderView } from '../../domain/schemas/orders';
import { TemporalUnreachable, withWatchdog, workflowReachable } from '../../temporal/watchdog';
import type { AppDeps } from '../deps';
import { orderRecords } from './records';
import { isTemporalUnavailable, toAppError } from './temporal-errors';

export interface CommandOutcome {
  /** true when the workflow finished the command within the deadline. */
  done: boolean;
  order: OrderView;
}

/**
 * The HTTP answer of a command: 200 with the order when the workflow finished it within the
 * deadline, 202 with the order as it stands while it keeps running.
 */
export function respondWithOutcome(res: { status(code: number): unknown }, outcome: CommandOutcome): OrderView {
  res.status(outcome.done ? 200 : 202);
  return outcome.order;
}

export function createOrderCommands(deps: AppDeps) {
  const { load, head } = orderRecords(deps);

  /**
   * Sends `update` and returns the order afterwards. A workflow that has already closed answers
   * `closedCode` (the order can no longer change).
   */
  async function send<Ret, A>(
    orderId: string,
    update: UpdateDefinition<Ret, [A]>,
    arg: A,
    opts: { timeoutMs: number; closedCode: ErrorCode; closedDetail: string },
  ): Promise<CommandOutcome> {
    const workflowId = orderWorkflowId(orderId);
    const handle = deps.temporal.workflow.getHandle(workflowId);
    try {
      await withWatchdog(deps.temporalConnection, Date.now() + opts.timeoutMs, () => handle.executeUpdate(update, { args: [arg] }));
      return { done: true, order: await load(orderId) };
    } catch (err) {
      if (err instanceof TemporalUnreachable) throw dependencyUnavailable('temporal', err);
      const mapped = toAppError(err, orderId);
      if (mapped.code === 'order_not_found' || err instanceof WorkflowNotFoundError) {
        throw new AppError(opts.closedCode, opts.closedDetail, { cause: err });
      }
      if (mapped.code === 'dependency_unavailable' && isTemporalUnavailable(err)) {
        // Past the deadline the Update may still be running; if the workflow is reachable, say so.
        const order = await load(orderId);
        if (await workflowReachable(deps.temporal, deps.temporalConnection, workflowId)) return { done: false, order };
      }
      throw mapped;
    }
  }

  return { load, head, send };
}
