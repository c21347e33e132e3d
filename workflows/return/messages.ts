/**
 * The return workflow's messages, beside it and exported for the API (so both agree on names and
 * payloads). Pure definitions: safe to import anywhere.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReceivedItem, ReturnRequestResult, ReturnStatus, ReturnWorkflowView } from '../../domain/returns/types';
import type { TrackingStatus } from '../../domain/shipping/tracking';

export const RETURN_WORKFLOW = 'orderReturn';

/** Update-with-Start target: resolves once the return is written (`requested`) or refused. */
export const requestReturnUpdate = defineUpdate<ReturnRequestResult, [{ requestHash: string }]>('requestReturn');
/** Support: book the label → `approved` (refused with `invalid_transition` unless `requested`). */
export const approveReturnUpdate = defineUpdate<{ status: ReturnStatus }, [{ by?: string }]>('approve');
/** Support: → `rejected` with the reason (before the parcel moves). */
export const rejectReturnUpdate = defineUpdate<{ status: ReturnStatus }, [{ reason: string; by?: string }]>('reject');
/** Ops: the parcel arrived; per sku and condition → `received`, then the refund runs. */
export const receiveReturnUpdate = defineUpdate<{ status: ReturnStatus }, [{ items: ReceivedItem[]; by?: string }]>('receive');
/** Support: a `failed` return resumes at the step that failed (the refund). */
export const retryReturnUpdate = defineUpdate<{ status: ReturnStatus }, [{ by?: string; note?: string }]>('retry');

export interface ReturnParcelEvent {
  eventId?: string;
  status: TrackingStatus;
  at: string;
  description?: string;
  source?: 'webhook' | 'poll';
}
/** The carrier's webhook for the return parcel (routed here by the API). */
export const returnParcelSignal = defineSignal<[ReturnParcelEvent]>('returnParcel');
export const returnStateQuery = defineQuery<ReturnWorkflowView>('state');
