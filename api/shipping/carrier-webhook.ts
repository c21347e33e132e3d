/**
 * POST /v1/webhooks/carriers/{carrier}, behind the route: verify the carrier's signature over the
 * raw body (v1.1: timestamped, that carrier's own secret, constant time) before anything else,
 * drop an event id already seen, then hand the event to the parcel's tracking workflow. Events for
 * unknown parcels, replays and stale events are acknowledged and ignored, so a carrier's
 * redelivery never changes state twice.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { claimWebhookEvent, releaseWebhookEvent } from '../../cache/webhook-events';
import { taskQueues } from '../../config';
import { findReturnByParcel } from '../../db/queries/returns';
import { findShipmentByTrackingNumber } from '../../db/queries/shipments';
import { isPostgresUnavailable } from '../../db/unavailable';
import { AppError, dependencyUnavailable } from '../../domain/errors';
import { findUnsafeText } from '../../domain/schemas/common';
import { isTrackingAdvance, type TrackingStatus } from '../../domain/shipping/tracking';
import { type WebhookEvent, WebhookPayloadError, WebhookSignatureError } from '../../integrations/carriers';
import type { Logger } from '../../observability/logger';
import { returnParcelSignal } from '../../workflows/return/messages';
import {
  type ShipmentTrackingInput,
  shipmentTracking,
  shipmentTrackingWorkflowId,
  trackingEventSignal,
} from '../../workflows/shipment-tracking';
import type { AppDeps } from '../deps';

export type WebhookOutcome = { status: 'accepted' } | { status: 'ignored'; reason: string };

export function verifyCarrierWebhook(
  deps: AppDeps,
  carrierName: string,
  raw: unknown,
  headers: Record<string, string | string[] | undefined>,
): WebhookEvent | null {
  const carrier = deps.carriers.get(carrierName);
  if (!carrier) throw new AppError('not_found', `Unknown carrier ${carrierName}`);
  const body = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  try {
    const event = carrier.parseWebhook(body, headers);
    // Hostile input: a NUL or control character in a field is the sender's error (400), not an outage.
    const unsafe = findUnsafeText(event);
    if (unsafe.length) throw new AppError('invalid_request', 'Invalid webhook body', { errors: unsafe });
    return event;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof WebhookSignatureError)
      throw new AppError('unauthenticated', 'Invalid or missing webhook signature (X-Carrier-Signature)', { cause: err });
    if (err instanceof WebhookPayloadError) throw new AppError('invalid_request', err.message, { cause: err });
    throw err;
  }
}

/**
 * A return parcel's event goes to its return workflow (`return-{id}`) as a signal; undefined when
 * the tracking number is no return label. A closed return workflow (rejected, refunded) ignores it.
 */
async function handleReturnParcelWebhook(
  deps: AppDeps,
  carrier: string,
  event: WebhookEvent,
  log: Logger,
): Promise<WebhookOutcome | undefined> {
  let ret: Awaited<ReturnType<typeof findReturnByParcel>>;
  try {
    ret = await findReturnByParcel(deps.db, carrier, event.trackingNumber);
  } catch (err) {
    if (isPostgresUnavailable(err)) throw dependencyUnavailable('database', err);
    throw err;
  }
  if (!ret) return undefined;
  if (ret.label_tracking_status && !isTrackingAdvance(ret.label_tracking_status as TrackingStatus, event.status)) {
    return { status: 'ignored', reason: 'not_newer_than_recorded' };
  }
  try {
    await deps.temporal.workflow.getHandle(ret.workflow_id).signal(returnParcelSignal, {
      eventId: event.eventId,
      status: event.status,
      at: event.at,
      ...(event.description ? { description: event.description } : {}),
      source: 'webhook',
    });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      log.info({ returnId: ret.id, trackingNumber: event.trackingNumber }, 'return parcel event for a closed return ignored');
      return { status: 'ignored', reason: 'return_closed' };
    }
    throw dependencyUnavailable('return workflows (Temporal)', err, 5);
  }
  return { status: 'accepted' };
}

/**
 * Dedupe by event id, then process. The claim is released when processing fails (503), so the
 * carrier's retry of the same event is not mistaken for a duplicate.
 */
export async function handleCarrierWebhook(deps: AppDeps, carrier: string, event: WebhookEvent, log: Logger): Promise<WebhookOutcome> {
  const claim = await claimWebhookEvent(deps.redis, carrier, event.eventId);
  if (claim === 'seen') {
    log.info({ carrier, eventId: event.eventId }, 'carrier webhook event already seen; ignored');
    return { status: 'ignored', reason: 'duplicate_event' };
  }
  if (claim === 'unknown') log.warn({ carrier, eventId: event.eventId }, 'webhook dedupe unavailable (redis); processing the event');
  try {
    return await processCarrierWebhook(deps, carrier, event, log);
  } catch (err) {
    if (claim === 'new') await releaseWebhookEvent(deps.redis, carrier, event.eventId);
    throw err;
  }
}

async function processCarrierWebhook(deps: AppDeps, carrier: string, event: WebhookEvent, log: Logger): Promise<WebhookOutcome> {
  let shipment: Awaited<ReturnType<typeof findShipmentByTrackingNumber>>;
  let orderWorkflowId: string | undefined;
  try {
    shipment = await findShipmentByTrackingNumber(deps.db, carrier, event.trackingNumber);
    if (shipment) {
      const order = await deps.db.selectFrom('orders').select('workflow_id').where('id', '=', shipment.order_id).executeTakeFirst();
      orderWorkflowId = order?.workflow_id;
    }
  } catch (err) {
    if (isPostgresUnavailable(err)) throw dependencyUnavailable('database', err);
    throw err;
  }
  if (!shipment) {
    const toReturn = await handleReturnParcelWebhook(deps, carrier, event, log);
    if (toReturn) return toReturn;
    log.info({ carrier, trackingNumber: event.trackingNumber, eventId: event.eventId }, 'carrier webhook for an unknown parcel ignored');
    return { status: 'ignored', reason: 'unknown_tracking_number' };
  }
  if (!isTrackingAdvance(shipment.tracking_status as TrackingStatus, event.status)) {
    return { status: 'ignored', reason: 'not_newer_than_recorded' };
  }
  const input: ShipmentTrackingInput = {
    orderId: shipment.order_id,
    carrier,
    trackingNumber: shipment.tracking_number,
    ...(orderWorkflowId ? { orderWorkflowId } : {}),
    initialStatus: shipment.tracking_status as TrackingStatus,
    poll: { initialMs: deps.config.TRACKING_POLL_INITIAL_SECONDS * 1000, maxMs: deps.config.TRACKING_POLL_MAX_SECONDS * 1000 },
  };
  try {
    await deps.temporal.workflow.signalWithStart(shipmentTracking, {
      workflowId: shipmentTrackingWorkflowId(shipment.tracking_number),
      taskQueue: taskQueues(deps.config).shipping,
      args: [input],
      signal: trackingEventSignal,
      signalArgs: [
        {
          eventId: event.eventId,
          status: event.status,
          at: event.at,
          ...(event.description ? { description: event.description } : {}),
          source: 'webhook',
        },
      ],
    });
  } catch (err) {
    throw dependencyUnavailable('tracking workflows (Temporal)', err, 5);
  }
  return { status: 'accepted' };
}
