/**
 * The return workflow's state as one class: what the handlers read and write, what the run loop
 * waits on, and the rules that decide whether a message is accepted (validators throw
 * ApplicationFailures whose type is the contract's error code). Deterministic, no I/O.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type {
  ReceivedItem,
  ReturnLabel,
  ReturnRefusal,
  ReturnRequestResult,
  ReturnStatus,
  ReturnStep,
  ReturnWorkflowInput,
  ReturnWorkflowView,
} from '../../domain/returns/types';
import type { Failure } from '../../domain/schemas/orders';
import { isTrackingAdvance, type TrackingStatus } from '../../domain/shipping/tracking';
import type { ReturnParcelEvent } from './messages';

const conflict = (message: string) => ApplicationFailure.create({ type: 'invalid_transition', message, nonRetryable: true });

export class ReturnState {
  status: ReturnStatus = 'requested';
  label: ReturnLabel | null = null;
  parcel: TrackingStatus | undefined;
  failure: Failure | null = null;
  failures = 0;
  failedStep: ReturnStep | null = null;
  refundAmount: number | null = null;
  /** Set once the return row exists (accepted) or the request was refused. */
  result: ReturnRequestResult | undefined;
  decision: { approve: true } | { approve: false; reason: string } | undefined;
  received: ReceivedItem[] | undefined;
  retryRequested = false;
  /** Parcel events from webhooks, applied in order by the run loop. */
  readonly pending: ReturnParcelEvent[] = [];

  constructor(readonly input: ReturnWorkflowInput) {}

  view(): ReturnWorkflowView {
    return {
      returnId: this.input.returnId,
      orderId: this.input.orderId,
      status: this.status,
      label: this.label,
      parcel: this.parcel ?? null,
      refundAmount: this.refundAmount,
      failure: this.failure,
    };
  }

  refuse(refusal: ReturnRefusal) {
    this.status = 'rejected';
    this.result = { outcome: 'refused', refusal };
  }

  // ---- validators ----

  checkRequest(requestHash: string) {
    if (requestHash !== this.input.requestHash) {
      throw ApplicationFailure.create({
        type: 'idempotency_key_reused',
        message: 'This Idempotency-Key was used with a different return request',
        nonRetryable: true,
      });
    }
  }

  checkApprove() {
    if (this.status !== 'requested' || this.decision)
      throw conflict(`The return is ${this.status}; only a requested return can be approved`);
  }

  checkReject() {
    if (this.status === 'requested' && this.decision?.approve) throw conflict('The return is being approved (its label is being booked)');
    const open = this.status === 'requested' || (this.status === 'approved' && !this.parcelMoved());
    if (!open || this.received || (this.decision && !this.decision.approve)) {
      throw conflict(
        `The return is ${this.status}${this.parcelMoved() ? ' and its parcel is on its way' : ''}; it can no longer be rejected`,
      );
    }
  }

  checkReceive(items: ReceivedItem[]) {
    if (!(this.status === 'approved' || this.status === 'in_transit') || this.received) {
      throw conflict(`The return is ${this.status}; only an approved or in-transit return can be received`);
    }
    const asked = new Map(this.input.items.map((i) => [i.sku, i.quantity]));
    const got = new Map<string, number>();
    for (const i of items) got.set(i.sku, (got.get(i.sku) ?? 0) + i.quantity);
    for (const [sku, n] of got) {
      const max = asked.get(sku);
      if (max === undefined) {
        throw ApplicationFailure.create({ type: 'invalid_request', message: `${sku} is not in this return`, nonRetryable: true });
      }
      if (n > max) {
        throw ApplicationFailure.create({
          type: 'invalid_request',
          message: `${n} × ${sku} received, the return has ${max}`,
          nonRetryable: true,
        });
      }
    }
  }

  checkRetry() {
    if (this.status !== 'failed') throw conflict(`The return is ${this.status}, not failed`);
  }

  // ---- the parcel ----

  parcelMoved(): boolean {
    return this.parcel !== undefined && this.parcel !== 'label_created';
  }

  /** True when `status` is news for the parcel (forward only: replays and late events change nothing). */
  advances(status: TrackingStatus): boolean {
    return isTrackingAdvance(this.parcel, status);
  }
}
