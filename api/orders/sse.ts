/**
 * GET /v1/orders/{id}/events: Server-Sent Events. Every event is an order_events row (`id:` is its
 * id): first what the client has not seen (all, or after `Last-Event-ID`), then live events from
 * Redis pub/sub (any API instance sees what any worker publishes). A heartbeat comment keeps
 * proxies from closing an idle stream and re-checks Postgres, so an event whose publish was lost
 * (Redis down) still arrives; without Redis the stream polls Postgres.
 */
import type { Request, Response } from 'express';
import { eventsAfter } from '../../db/queries/orders';
import type { OrderEventMessage } from '../../domain/orders/types';
import type { Logger } from '../../observability/logger';
import type { AppDeps } from '../deps';

const POLL_WITHOUT_REDIS_MS = 2_000;

export function parseLastEventId(req: Request): number {
  const raw = req.header('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
  const n = raw && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : 0;
  return n;
}

export async function streamOrderEvents(deps: AppDeps, orderId: string, lastEventId: number, req: Request, res: Response, log: Logger) {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  // no-transform: the compression middleware leaves the stream alone (it would buffer it).
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n\n');

  let last = lastEventId;
  let closed = false;
  let backfilling = true;
  const pending: OrderEventMessage[] = [];

  const send = (e: OrderEventMessage) => {
    if (closed || e.id <= last) return;
    last = e.id;
    res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  const onLive = (e: OrderEventMessage) => {
    if (backfilling) pending.push(e);
    else send(e);
  };

  let unsubscribe: (() => void) | undefined;
  try {
    unsubscribe = await deps.orderEvents.subscribe(orderId, onLive);
  } catch (err) {
    log.warn({ err, orderId }, 'order events: redis unavailable, polling postgres');
  }
  let catchingUp = false;
  const catchUp = async () => {
    if (catchingUp || closed) return;
    catchingUp = true;
    try {
      for (const e of await eventsAfter(deps.db, orderId, last)) send(e);
    } catch (err) {
      log.warn({ err, orderId }, 'order events: catch-up from postgres failed');
    } finally {
      catchingUp = false;
    }
  };

  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    if (poller) clearInterval(poller);
    unsubscribe?.();
  };
  const heartbeat = setInterval(() => {
    if (closed) return;
    res.write(': heartbeat\n\n');
    void catchUp();
  }, deps.config.SSE_HEARTBEAT_MS);
  const poller = unsubscribe ? undefined : setInterval(() => void catchUp(), POLL_WITHOUT_REDIS_MS);
  req.on('close', cleanup);
  res.on('close', cleanup);

  await catchUp();
  backfilling = false;
  pending.sort((a, b) => a.id - b.id);
  for (const e of pending.splice(0)) send(e);
}
