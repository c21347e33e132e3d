/**
 * Returns (contract v1.1 "Returns and refunds"): the storefront requests and lists an order's
 * returns (customer-scoped); support finds, approves, rejects and retries them; ops receive the
 * parcel. Reads from Postgres; every change through the return's workflow.
 */
import { getReturnRecords, listReturnIds } from '../../db/queries/returns';
import { OrderIdParamsSchema } from '../../domain/schemas/orders';
import {
  IdempotentHeadersSchema,
  OpsReturnsQuerySchema,
  ReceiveReturnBodySchema,
  RejectReturnBodySchema,
  RequestReturnBodySchema,
  RetryReturnBodySchema,
  ReturnListSchema,
  ReturnPageSchema,
  ReturnParamsSchema,
  ReturnSchema,
} from '../../domain/schemas/returns';
import { approveReturnUpdate, receiveReturnUpdate, rejectReturnUpdate, retryReturnUpdate } from '../../workflows/return/messages';
import { assertOwnsOrder } from '../customer-scope';
import type { AppDeps } from '../deps';
import { createReturnCommands } from '../returns/commands';
import { decodeReturnCursor, encodeReturnCursor, toReturnView } from '../returns/view';
import type { RouteRegistrar } from '../route';

function returnLocation(deps: AppDeps, id: string): string {
  const path = `/v1/ops/returns/${encodeURIComponent(id)}`;
  return deps.config.PUBLIC_URL ? new URL(path, deps.config.PUBLIC_URL).toString() : path;
}

export function registerReturnRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const returns = createReturnCommands(deps);

  route({
    method: 'post',
    path: '/v1/orders/{id}/returns',
    summary: 'Request a return (idempotent by Idempotency-Key)',
    description:
      'Only a `delivered` order, within RETURN_WINDOW_DAYS of delivery, and at most the units delivered minus those already ' +
      'returned or requested (checked by Postgres under concurrency): otherwise 409 `return_not_allowed`. 201 with the Return ' +
      '`requested`; the same key with the same body returns the same return, with another body 422.',
    tags: ['returns'],
    auth: ['storefront'],
    customerScoped: true,
    params: OrderIdParamsSchema,
    headers: IdempotentHeadersSchema,
    body: RequestReturnBodySchema,
    responses: {
      201: { description: 'the return, requested (or the return this key already requested)', schema: ReturnSchema },
      202: { description: 'accepted and still being written; follow Location', schema: ReturnSchema },
    },
    errors: ['order_not_found', 'return_not_allowed', 'idempotency_key_reused', 'dependency_unavailable'],
    handler: async ({ params, body, headers, customer, res }) => {
      assertOwnsOrder(customer, { customerId: (await returns.orderHead(params.id)).customer_id }, params.id);
      const out = await returns.request(params.id, body, headers['idempotency-key']);
      res.status(out.status).setHeader('Location', returnLocation(deps, out.ret.id));
      return out.ret;
    },
  });

  route({
    method: 'get',
    path: '/v1/orders/{id}/returns',
    summary: "An order's returns, oldest first",
    tags: ['returns'],
    auth: ['storefront', 'support', 'ops'],
    customerScoped: true,
    params: OrderIdParamsSchema,
    responses: { 200: { description: "the order's returns", schema: ReturnListSchema } },
    errors: ['order_not_found', 'dependency_unavailable'],
    handler: async ({ params, customer, res }) => {
      assertOwnsOrder(customer, { customerId: (await returns.orderHead(params.id)).customer_id }, params.id);
      const { rows } = await listReturnIds(deps.db, { orderId: params.id, limit: 100 });
      const records = await getReturnRecords(
        deps.db,
        rows.map((r) => r.id),
      );
      res.setHeader('Cache-Control', 'no-store');
      return { data: records.map(toReturnView).reverse() };
    },
  });

  route({
    method: 'get',
    path: '/v1/ops/returns',
    summary: 'Find returns (e.g. every failed or requested one), newest first',
    tags: ['returns', 'operations'],
    auth: ['support', 'ops'],
    query: OpsReturnsQuerySchema,
    responses: { 200: { description: 'a page of returns', schema: ReturnPageSchema } },
    errors: ['dependency_unavailable'],
    handler: async ({ query, res }) => {
      const after = decodeReturnCursor(query.cursor);
      const { rows, hasMore } = await listReturnIds(deps.db, {
        ...(query.status ? { status: query.status } : {}),
        limit: query.limit,
        ...(after ? { after } : {}),
      });
      const records = await getReturnRecords(
        deps.db,
        rows.map((r) => r.id),
      );
      const last = rows[rows.length - 1];
      res.setHeader('Cache-Control', 'no-store');
      return {
        data: records.map(toReturnView),
        nextCursor: hasMore && last ? encodeReturnCursor({ createdAt: last.cursor_ts, id: last.id }) : null,
      };
    },
  });

  route({
    method: 'get',
    path: '/v1/ops/returns/{id}',
    summary: 'A return',
    tags: ['returns', 'operations'],
    auth: ['support', 'ops'],
    params: ReturnParamsSchema,
    responses: { 200: { description: 'the return', schema: ReturnSchema } },
    errors: ['return_not_found', 'dependency_unavailable'],
    handler: async ({ params, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      return returns.load(params.id);
    },
  });

  const answer = (res: { status(code: number): unknown }, out: { done: boolean; ret: unknown }) => {
    res.status(out.done ? 200 : 202);
    return out.ret;
  };
  const closed = { closedCode: 'invalid_transition' as const, closedDetail: 'The return is closed and can no longer change' };

  route({
    method: 'post',
    path: '/v1/ops/returns/{id}/approve',
    summary: "Approve a return: book a return label with the order's carrier",
    description:
      'Books the label (idempotent per return: a retry never books twice) → `approved` with `label { carrier, trackingNumber, labelUrl }`; ' +
      'the customer is emailed the label. Only a `requested` return: otherwise 409 invalid_transition. An approved return whose parcel ' +
      'never moves is closed after RETURN_LABEL_DAYS as `rejected` (note `label_expired`).',
    tags: ['returns', 'operations'],
    auth: ['support'],
    params: ReturnParamsSchema,
    responses: {
      200: { description: 'the return, approved, with its label', schema: ReturnSchema },
      202: { description: 'the label is being booked; the return as it stands', schema: ReturnSchema },
    },
    errors: ['return_not_found', 'invalid_transition', 'dependency_unavailable'],
    handler: async ({ params, role, res }) =>
      answer(res, await returns.send(params.id, approveReturnUpdate, { by: role ?? 'support' }, { timeoutMs: 15_000, ...closed })),
  });

  route({
    method: 'post',
    path: '/v1/ops/returns/{id}/reject',
    summary: 'Reject a return (before its parcel moves); the customer is emailed the reason',
    tags: ['returns', 'operations'],
    auth: ['support'],
    params: ReturnParamsSchema,
    body: RejectReturnBodySchema,
    responses: { 200: { description: 'the return, rejected', schema: ReturnSchema } },
    errors: ['return_not_found', 'invalid_transition', 'dependency_unavailable'],
    handler: async ({ params, body, role, res }) =>
      answer(
        res,
        await returns.send(params.id, rejectReturnUpdate, { reason: body.reason, by: role ?? 'support' }, { timeoutMs: 10_000, ...closed }),
      ),
  });

  route({
    method: 'post',
    path: '/v1/ops/returns/{id}/receive',
    summary: 'Receive a return parcel: per sku and condition; resellable units back on hand, then the refund',
    description:
      'Resellable units go back on hand through the stock ledger (reason `return`); damaged ones are recorded, not restocked. Then the ' +
      "refund of the received lines' paid prices (plus shipping when the whole order has come back) runs through the payment provider, " +
      'once per return; a refund that runs out of retries leaves the return `failed` for POST /v1/ops/returns/{id}/retry.',
    tags: ['returns', 'operations'],
    auth: ['ops'],
    params: ReturnParamsSchema,
    body: ReceiveReturnBodySchema,
    responses: {
      200: { description: 'the return, received (refund under way) or already refunded', schema: ReturnSchema },
      202: { description: 'still being received; the return as it stands', schema: ReturnSchema },
    },
    errors: ['return_not_found', 'invalid_transition', 'dependency_unavailable'],
    handler: async ({ params, body, role, res }) =>
      answer(
        res,
        await returns.send(params.id, receiveReturnUpdate, { items: body.items, by: role ?? 'ops' }, { timeoutMs: 15_000, ...closed }),
      ),
  });

  route({
    method: 'post',
    path: '/v1/ops/returns/{id}/retry',
    summary: 'Resume a failed return at the step that failed (the refund)',
    tags: ['returns', 'operations'],
    auth: ['support', 'ops'],
    params: ReturnParamsSchema,
    body: RetryReturnBodySchema,
    responses: { 202: { description: 'the return resumes; follow it at Location', schema: ReturnSchema } },
    errors: ['return_not_found', 'invalid_transition', 'dependency_unavailable'],
    handler: async ({ params, body, role, res }) => {
      const out = await returns.send(
        params.id,
        retryReturnUpdate,
        { by: role ?? 'support', ...(body?.note ? { note: body.note } : {}) },
        { timeoutMs: 5_000, ...closed },
      );
      res.status(202).setHeader('Location', returnLocation(deps, params.id));
      return out.ret;
    },
  });
}
