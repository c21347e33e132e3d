/**
 * What the engine needs from a carrier. Each carrier (or aggregator) is one adapter behind this
 * interface; activities only see `Carrier`, never an HTTP shape.
 */
import type { Money } from '../../domain/schemas/common';
import type { Parcel } from '../../domain/shipping/parcels';
import type { TrackingStatus } from '../../domain/shipping/tracking';

export interface Destination {
  country: string;
  postalCode: string;
  city?: string | undefined;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
}

export interface RateRequest {
  destination: Destination;
  parcels: Parcel[];
}

export interface CarrierRate {
  service: string;
  amount: Money;
  estimatedDays: number;
}

export interface BookingRequest {
  service: string;
  address: ShippingAddress;
  parcels: Parcel[];
  /** Our reference (order id), printed on the label. */
  reference: string;
  /** Sent as Idempotency-Key: the same key always yields the same label. */
  idempotencyKey: string;
}

/** A prepaid return label: the customer (`from`) sends the parcel back to the shop's warehouse. */
export interface ReturnLabelRequest {
  service: string;
  /** Where the parcel is picked up or dropped off from: the order's shipping address. */
  from: ShippingAddress;
  parcels: Parcel[];
  /** Our reference (return id), printed on the label. */
  reference: string;
  /** Sent as Idempotency-Key: the same key always yields the same label. */
  idempotencyKey: string;
}

export interface BookedShipment {
  trackingNumber: string;
  status: TrackingStatus;
  trackingUrl: string | null;
  labelUrl: string | null;
}

export interface TrackingEvent {
  status: TrackingStatus;
  at: string;
  description?: string | undefined;
}

export interface TrackingInfo {
  trackingNumber: string;
  status: TrackingStatus;
  trackingUrl: string | null;
  events: TrackingEvent[];
}

export interface WebhookEvent {
  /** The carrier's event id (replays carry the same id). */
  eventId: string;
  trackingNumber: string;
  status: TrackingStatus;
  at: string;
  description?: string | undefined;
}

export interface CallOptions {
  /** Cancels the call (e.g. the activity was cancelled). */
  signal?: AbortSignal;
  /** Overrides the adapter's default per-call timeout. */
  timeoutMs?: number;
}

export interface Carrier {
  readonly name: string;
  rates(req: RateRequest, opts?: CallOptions): Promise<CarrierRate[]>;
  bookShipment(req: BookingRequest, opts?: CallOptions): Promise<BookedShipment>;
  /** Books a return label (tracked like a shipment: label_created → in_transit → delivered to the warehouse). */
  bookReturnLabel(req: ReturnLabelRequest, opts?: CallOptions): Promise<BookedShipment>;
  getTracking(trackingNumber: string, opts?: CallOptions): Promise<TrackingInfo>;
  /**
   * Verifies the webhook's signature over the raw body and parses it. Throws
   * `WebhookSignatureError` when the signature is missing or wrong, `WebhookPayloadError` when the
   * body is not an event this adapter understands. Returns null for an authentic event that has
   * nothing to record (another event type, a status outside the parcel lifecycle).
   */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): WebhookEvent | null;
}

/** A carrier call failed. `retryable` says whether asking again may help (timeouts, 5xx, 429). */
export class CarrierError extends Error {
  readonly carrier: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly reason: 'timeout' | 'unavailable' | 'rejected' | 'invalid_response';

  constructor(
    carrier: string,
    reason: CarrierError['reason'],
    message: string,
    opts: { retryable: boolean; status?: number; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CarrierError';
    this.carrier = carrier;
    this.reason = reason;
    this.retryable = opts.retryable;
    this.status = opts.status;
  }
}

export class WebhookSignatureError extends Error {
  constructor(message = 'invalid webhook signature') {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

export class WebhookPayloadError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'WebhookPayloadError';
  }
}
