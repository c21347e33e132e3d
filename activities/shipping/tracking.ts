/** Activities of the shipmentTracking workflow: ask the carrier, record a change. */
import { Context } from '@temporalio/activity';
import { publishOrderEvent } from '../../cache/order-events';
import { recordTrackingChange } from '../../db/queries/shipments';
import { TRACKING_NOTES, type TrackingStatus } from '../../domain/shipping/tracking';
import type { TrackingInfo } from '../../integrations/carriers';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';

export interface RecordTrackingInput {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  status: TrackingStatus;
  at: string;
  note?: string | undefined;
  trackingUrl?: string | null | undefined;
  source: 'webhook' | 'poll' | 'booking';
}

export function createShippingTrackingActivities(deps: ActivityDeps) {
  return {
    async pollCarrierTracking(input: { carrier: string; trackingNumber: string }): Promise<TrackingInfo> {
      try {
        return await deps.carriers
          .require(input.carrier)
          .getTracking(input.trackingNumber, { signal: Context.current().cancellationSignal });
      } catch (err) {
        throw toActivityFailure(err);
      }
    },

    /**
     * Records one tracking status of a shipment: shipments + orders tracking columns and an
     * order timeline event keyed `tracking:{trackingNumber}:{status}` (so a replay changes
     * nothing), then publishes it on the order's live event channel (the SSE stream).
     * Returns whether this call recorded it (false = already recorded).
     */
    async recordTrackingUpdate(input: RecordTrackingInput): Promise<boolean> {
      const note = input.note ?? `${input.carrier}: ${TRACKING_NOTES[input.status]}`;
      const { event, inserted } = await recordTrackingChange(deps.db, {
        orderId: input.orderId,
        trackingNumber: input.trackingNumber,
        status: input.status,
        at: input.at,
        note,
        trackingUrl: input.trackingUrl ?? null,
        eventKey: `tracking:${input.trackingNumber}:${input.status}`,
        data: { carrier: input.carrier, trackingNumber: input.trackingNumber, source: input.source },
      });
      // A retry after a crash between commit and publish still announces the change (live
      // subscribers may see it twice, with the same event id; the timeline has it once).
      if (!inserted && Context.current().info.attempt === 1) return false;
      if (!(await publishOrderEvent(deps.redis, deps.config.REDIS_KEY_PREFIX, event))) {
        Context.current().log.warn('could not publish the tracking event; SSE clients see it on reconnect', { orderId: input.orderId });
      }
      return inserted;
    },
  };
}
