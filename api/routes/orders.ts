/**
 * Storefront order routes (CONTRACT.md "Orders"): place, read, live events, cancel, history.
 * Reads come from Postgres (never Temporal Visibility, which lags); every change goes through the
 * order workflow.
 */

import { AppError } from '../../domain/errors';
import { isCancellable } from '../../domain/orders/status';
import { z } from '../../domain/schemas/common';
import {
  CancelOrderBodySchema,
  CustomerOrdersQuerySchema,
  CustomerParamsSchema,
  OrderIdParamsSchema,
  OrderPageSchema,
  OrderSchema,
  OrderStatusEventSchema,
  OrderTrackingEventSchema,
  PlaceOrderBodySchema,
  PlaceOrderHeadersSchema,
} from '../../domain/schemas/orders';
import { cancelOrderUpdate } from '../../workflows/order/messages';
import { assertActsFor, assertOwnsOrder } from '../customer-scope';
import type { AppDeps } from '../deps';
import { createOrderCommands, respondWithOutcome } from '../orders/commands';
import { orderPage } from '../orders/list';
import { createOrderPlacement } from '../orders/placement';
import { parseLastEventId, streamOrderEvents } from '../orders/sse';
import type { RouteRegistrar } from '../route';

const READERS = ['storefront', 'support', 'ops'] as const;

export function orderLocation(deps: AppDeps, id: string): string {
  const path = `/v1/orders/${encodeURIComponent(id)}`;
  return deps.config.PUBLIC_URL ? new URL(path, deps.config.PUBLIC_URL).toString() : path;
}

export function registerOrderRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const placement = createOrderPlacement(deps);
  const commands = createOrderCommands(deps);

  route({
    method: 'post',
    path: '/v1/orders',
    summary: 'Place an order (idempotent by Idempotency-Key)',
    description:
      'Reserves stock and authorizes the payment before answering when that takes under 5 s: 201 with the order `confirmed`; ' +
      'otherwise 202 `placed` with a Location to poll. The same key with the same body returns the same order; with another body, 422.',
    tags: ['orders'],
    auth: ['storefront'],
    customerScoped: true,
    headers: PlaceOrderHeadersSchema,
    body: PlaceOrderBodySchema,
    responses: {
      201: { description: 'confirmed (or the order this key already placed)', schema: OrderSchema },
      202: { description: 'placed (or failed) and still being processed; poll Location', schema: OrderSchema },
    },
    errors: ['out_of_stock', 'payment_declined', 'idempotency_key_reused', 'quote_expired', 'rate_limited', 'dependency_unavailable'],
    handler: async ({ body, headers, customer, res, log }) => {
      assertActsFor(customer, body.customerId, 'customerId');
      const out = await placement.place(body, headers['idempotency-key'], log);
      res.status(out.status).setHeader('Location', orderLocation(deps, out.order.id));
      return out.order;
    },
  });

  route({
    method: 'get',
    path: '/v1/orders/{id}',
    summary: 'An order, from Postgres',
    tags: ['orders'],
    auth: READERS,
    customerScoped: true,
    params: OrderIdParamsSchema,
    responses: { 200: { description: 'the order', schema: OrderSchema } },
    errors: ['order_not_found', 'dependency_unavailable'],
    handler: async ({ params, customer, res }) => {
      res.setHeader('Cache-Control', 'no-store');
      const order = await commands.load(params.id);
      assertOwnsOrder(customer, order, params.id);
      return order;
    },
  });

  route({
    method: 'get',
    path: '/v1/orders/{id}/events',
    summary: 'Live order events (Server-Sent Events)',
    description:
      'One event per status or tracking change (`event: status|tracking`, `id:` = event id, `data:` JSON). ' +
      'Resumes after `Last-Event-ID`; heartbeat comments keep idle streams open.',
    tags: ['orders'],
    auth: READERS,
    customerScoped: true,
    params: OrderIdParamsSchema,
    responses: {
      200: {
        description: 'text/event-stream: one event per status or tracking change (`itemSchema`: per event name)',
        schema: z.string(),
        contentType: 'text/event-stream',
        sseEvents: [
          { event: 'status', ref: 'OrderStatusEvent', schema: OrderStatusEventSchema },
          { event: 'tracking', ref: 'OrderTrackingEvent', schema: OrderTrackingEventSchema },
        ],
      },
    },
    errors: ['order_not_found'],
    handler: async ({ params, customer, req, res, log }) => {
      const head = await commands.head(params.id);
      assertOwnsOrder(customer, { customerId: head.customer_id }, params.id);
      await streamOrderEvents(deps, params.id, parseLastEventId(req), req, res, log);
    },
  });

  route({
    method: 'post',
    path: '/v1/orders/{id}/cancel',
    summary: 'Cancel an order (until it ships): stock released, payment voided or refunded',
    tags: ['orders'],
    auth: READERS,
    customerScoped: true,
    params: OrderIdParamsSchema,
    body: CancelOrderBodySchema,
    responses: {
      200: { description: 'the order, cancelled', schema: OrderSchema },
      202: { description: 'cancellation accepted and still running (e.g. the payment provider is slow)', schema: OrderSchema },
    },
    errors: ['order_not_found', 'order_not_cancellable', 'dependency_unavailable'],
    handler: async ({ params, body, role, customer, res }) => {
      const head = await commands.head(params.id);
      assertOwnsOrder(customer, { customerId: head.customer_id }, params.id);
      if (head.status === 'cancelled') return commands.load(params.id);
      if (!isCancellable(head.status)) throw new AppError('order_not_cancellable', `The order is ${head.status}`);
      const out = await commands.send(
        params.id,
        cancelOrderUpdate,
        { reason: body?.reason ?? `cancelled by ${role === 'storefront' ? 'the customer' : role}`, by: role ?? 'customer' },
        { timeoutMs: 10_000, closedCode: 'order_not_cancellable', closedDetail: 'The order can no longer change' },
      );
      return respondWithOutcome(res, out);
    },
  });

  route({
    method: 'get',
    path: '/v1/customers/{customerId}/orders',
    summary: "A customer's orders, newest first",
    tags: ['orders'],
    auth: READERS,
    customerScoped: true,
    params: CustomerParamsSchema,
    query: CustomerOrdersQuerySchema,
    responses: { 200: { description: 'a page of orders', schema: OrderPageSchema } },
    errors: ['dependency_unavailable'],
    handler: async ({ params, query, customer, res }) => {
      assertActsFor(customer, params.customerId, 'customerId');
      const page = await orderPage(deps.db, { ...query, customerId: params.customerId });
      res.setHeader('Cache-Control', 'no-store');
      return page;
    },
  });
}
