/** Support and operations order routes (CONTRACT.md "Operations and support"). */

import { AppError } from '../../domain/errors';
import type { OrderStatus } from '../../domain/orders/status';
import { manualTransitionError } from '../../domain/orders/status';
import {
  AcceptedSchema,
  OpsOrdersQuerySchema,
  OrderIdParamsSchema,
  OrderPageSchema,
  OrderSchema,
  RetryBodySchema,
  SetStatusBodySchema,
  ShipBodySchema,
} from '../../domain/schemas/orders';
import { retryOrderUpdate, setOrderStatusUpdate, shipOrderUpdate } from '../../workflows/order/messages';
import type { AppDeps } from '../deps';
import { createOrderCommands, respondWithOutcome } from '../orders/commands';
import { orderPage } from '../orders/list';
import type { RouteRegistrar } from '../route';
import { orderLocation } from './orders';

export function registerOpsOrderRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const commands = createOrderCommands(deps);

  route({
    method: 'get',
    path: '/v1/ops/orders',
    summary: 'Find orders (e.g. every failed one), newest first',
    tags: ['operations'],
    auth: ['support', 'ops'],
    query: OpsOrdersQuerySchema,
    responses: { 200: { description: 'a page of orders', schema: OrderPageSchema } },
    errors: ['dependency_unavailable'],
    handler: async ({ query, res }) => {
      const page = await orderPage(deps.db, query);
      res.setHeader('Cache-Control', 'no-store');
      return page;
    },
  });

  route({
    method: 'post',
    path: '/v1/ops/orders/{id}/retry',
    summary: 'Resume a failed order at the step that failed',
    tags: ['operations'],
    auth: ['support', 'ops'],
    params: OrderIdParamsSchema,
    body: RetryBodySchema,
    responses: { 202: { description: 'the order resumes; follow it at Location', schema: AcceptedSchema } },
    errors: ['order_not_found', 'order_not_failed', 'dependency_unavailable'],
    handler: async ({ params, body, role, res }) => {
      const head = await commands.head(params.id);
      if (head.status !== 'failed') throw new AppError('order_not_failed', `The order is ${head.status}, not failed`);
      await commands.send(
        params.id,
        retryOrderUpdate,
        { by: role ?? 'support', ...(body?.note ? { note: body.note } : {}) },
        { timeoutMs: 5_000, closedCode: 'order_not_failed', closedDetail: 'The order is no longer running' },
      );
      const location = orderLocation(deps, params.id);
      res.status(202).setHeader('Location', location);
      return { id: params.id, status: 'failed' as OrderStatus, location };
    },
  });

  route({
    method: 'post',
    path: '/v1/ops/orders/{id}/status',
    summary: 'Manual transition along the status graph (shipped, delivered, cancelled)',
    description:
      'confirmed → shipped captures the payment and commits the stock; shipped → delivered; placed/confirmed/failed → cancelled runs the compensations. Anything else is 409 invalid_transition.',
    tags: ['operations'],
    auth: ['ops'],
    params: OrderIdParamsSchema,
    body: SetStatusBodySchema,
    responses: {
      200: { description: 'the order after the transition', schema: OrderSchema },
      202: { description: 'the transition is accepted and still running', schema: OrderSchema },
    },
    errors: ['order_not_found', 'invalid_transition', 'order_not_cancellable', 'dependency_unavailable'],
    handler: async ({ params, body, res }) => {
      const head = await commands.head(params.id);
      const problem = manualTransitionError(head.status, body.status);
      if (problem) throw new AppError('invalid_transition', problem);
      const out = await commands.send(
        params.id,
        setOrderStatusUpdate,
        {
          status: body.status,
          ...(body.note ? { note: body.note } : {}),
          ...(body.carrier ? { carrier: body.carrier } : {}),
          ...(body.service ? { service: body.service } : {}),
          ...(body.trackingNumber ? { trackingNumber: body.trackingNumber } : {}),
          ...(body.trackingUrl ? { trackingUrl: body.trackingUrl } : {}),
        },
        { timeoutMs: 10_000, closedCode: 'invalid_transition', closedDetail: 'The order can no longer change' },
      );
      return respondWithOutcome(res, out);
    },
  });

  route({
    method: 'post',
    path: '/v1/ops/orders/{id}/ship',
    summary: 'Book the shipment with the carrier and ship the order',
    description:
      "Books a label with the carrier (the order's carrier and service unless `carrier`/`service` are given; idempotent: a retry never books twice), stores the tracking number, captures the payment, commits the stock, sets `shipped` and starts tracking (carrier polling + webhooks until delivered). Only a `confirmed` order can ship: otherwise 409 invalid_transition.",
    tags: ['operations'],
    auth: ['ops'],
    params: OrderIdParamsSchema,
    body: ShipBodySchema,
    responses: {
      200: { description: 'the order, shipped, with its tracking number', schema: OrderSchema },
      202: { description: 'the shipment is being booked; the order as it stands', schema: OrderSchema },
    },
    errors: ['order_not_found', 'invalid_transition', 'dependency_unavailable'],
    handler: async ({ params, body, res }) => {
      const head = await commands.head(params.id);
      const problem = manualTransitionError(head.status, 'shipped');
      if (problem) throw new AppError('invalid_transition', problem);
      if (body?.carrier && !deps.carriers.get(body.carrier)) {
        throw new AppError('invalid_request', `Unknown carrier ${body.carrier}`, {
          errors: [{ path: 'carrier', message: `enabled carriers: ${deps.carriers.names().join(', ')}` }],
        });
      }
      const out = await commands.send(
        params.id,
        shipOrderUpdate,
        {
          ...(body?.carrier ? { carrier: body.carrier } : {}),
          ...(body?.service ? { service: body.service } : {}),
          ...(body?.note ? { note: body.note } : {}),
        },
        { timeoutMs: 15_000, closedCode: 'invalid_transition', closedDetail: 'The order can no longer change' },
      );
      return respondWithOutcome(res, out);
    },
  });
}
