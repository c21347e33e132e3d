/**
 * shipmentTracking (`shipment-{trackingNumber}`, queue `shipping`): follows one parcel until it is
 * delivered or returned. Carrier webhooks arrive as `trackingEvent` signals; between them the
 * workflow polls the carrier with growing durable sleeps (5 min doubling to 6 h by default, reset
 * to the start after every change). Each forward change is recorded once (shipment, order, order
 * timeline, live event); replayed, late or backward events change nothing. On `delivered` it
 * signals the order workflow (`shipmentDelivered`). Continue-as-new keeps the history bounded.
 */
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { isFinalTrackingStatus, isTrackingAdvance, type TrackingStatus, trackingRank } from '../domain/shipping/tracking';

export interface TrackingEventPayload {
  /** The carrier's event id, when it has one. */
  eventId?: string;
  status: TrackingStatus;
  at: string;
  description?: string;
  source?: 'webhook' | 'poll';
}

export interface ShipmentDeliveredPayload {
  trackingNumber: string;
  carrier: string;
  at: string;
}

export interface PollSchedule {
  /** First poll after this long (default 5 min). */
  initialMs?: number;
  /** Polls never further apart than this (default 6 h). */
  maxMs?: number;
  /** Growth per quiet poll (default 2). */
  factor?: number;
}

export interface ShipmentTrackingInput {
  orderId: string;
  carrier: string;
  trackingNumber: string;
  /** The order workflow to tell when the parcel is delivered. */
  orderWorkflowId?: string;
  poll?: PollSchedule;
  /** Status the booking returned, recorded as the first timeline entry (default label_created). */
  initialStatus?: TrackingStatus;
  /** Continue-as-new after this many wake-ups (default 200). */
  maxIterations?: number;
  /** Carried across continue-as-new. */
  state?: TrackingState;
}

export interface TrackingState {
  status?: TrackingStatus;
  intervalMs?: number;
  polls: number;
  events: number;
  lastChangeAt?: string;
}

export const shipmentTrackingWorkflowId = (trackingNumber: string) => `shipment-${trackingNumber}`;

export const trackingEventSignal = defineSignal<[TrackingEventPayload]>('trackingEvent');
/** Sent to the order workflow (input `orderWorkflowId`) when the parcel is delivered. */
export const shipmentDeliveredSignal = defineSignal<[ShipmentDeliveredPayload]>('shipmentDelivered');
export const trackingStateQuery = defineQuery<TrackingState>('trackingState');

export const DEFAULT_POLL_INITIAL_MS = 5 * 60_000;
export const DEFAULT_POLL_MAX_MS = 6 * 3_600_000;

const { recordTrackingUpdate } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { pollCarrierTracking } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 3, nonRetryableErrorTypes: ['rejected'] },
});

export async function shipmentTracking(input: ShipmentTrackingInput): Promise<TrackingState> {
  const initialMs = input.poll?.initialMs ?? DEFAULT_POLL_INITIAL_MS;
  const maxMs = Math.max(initialMs, input.poll?.maxMs ?? DEFAULT_POLL_MAX_MS);
  const factor = Math.max(1, input.poll?.factor ?? 2);
  const state: TrackingState = input.state ?? { polls: 0, events: 0 };
  state.intervalMs ??= initialMs;
  const pending: TrackingEventPayload[] = [];
  setHandler(trackingEventSignal, (e) => {
    pending.push(e);
  });
  setHandler(trackingStateQuery, () => state);

  async function apply(e: TrackingEventPayload): Promise<boolean> {
    if (!isTrackingAdvance(state.status, e.status)) return false;
    await recordTrackingUpdate({
      orderId: input.orderId,
      carrier: input.carrier,
      trackingNumber: input.trackingNumber,
      status: e.status,
      at: e.at,
      ...(e.description ? { note: `${input.carrier}: ${e.description}` } : {}),
      source: e.source ?? 'webhook',
    });
    state.status = e.status;
    state.events++;
    state.lastChangeAt = e.at;
    return true;
  }

  if (state.status === undefined) {
    await apply({ status: input.initialStatus ?? 'label_created', at: new Date().toISOString(), source: 'poll' });
  }

  for (let i = 0; !isFinalTrackingStatus(state.status as TrackingStatus); i++) {
    if (i >= (input.maxIterations ?? 200) || workflowInfo().continueAsNewSuggested) {
      if (pending.length === 0) await continueAsNew<typeof shipmentTracking>({ ...input, state });
    }
    const signalled = await condition(() => pending.length > 0, state.intervalMs as number);
    let changed = false;
    if (signalled) {
      while (pending.length) changed = (await apply(pending.shift() as TrackingEventPayload)) || changed;
    } else {
      state.polls++;
      try {
        const info = await pollCarrierTracking({ carrier: input.carrier, trackingNumber: input.trackingNumber });
        // Every state the parcel went through since the last look, in order: the timeline stays complete.
        const seen = [...info.events, { status: info.status, at: info.events.at(-1)?.at ?? new Date().toISOString() }];
        seen.sort((a, b) => trackingRank(a.status) - trackingRank(b.status));
        for (const e of seen) {
          changed =
            (await apply({
              status: e.status,
              at: e.at,
              ...('description' in e && e.description ? { description: e.description } : {}),
              source: 'poll',
            })) || changed;
        }
      } catch (err) {
        log.warn('tracking poll failed; trying again at the next interval', { trackingNumber: input.trackingNumber, error: String(err) });
      }
    }
    if (!signalled) state.intervalMs = changed ? initialMs : Math.min((state.intervalMs as number) * factor, maxMs);
    else if (changed) state.intervalMs = initialMs;
  }

  if (state.status === 'delivered' && input.orderWorkflowId) {
    try {
      await getExternalWorkflowHandle(input.orderWorkflowId).signal(shipmentDeliveredSignal, {
        trackingNumber: input.trackingNumber,
        carrier: input.carrier,
        at: state.lastChangeAt ?? new Date().toISOString(),
      });
    } catch (err) {
      log.warn('could not signal the order workflow about the delivery', { orderWorkflowId: input.orderWorkflowId, error: String(err) });
    }
  }
  return state;
}
