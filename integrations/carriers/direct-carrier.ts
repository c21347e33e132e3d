/**
 * Adapter for carriers that expose the "direct" carrier API our sandbox imitates (one base URL,
 * each carrier under `/{carrier}/v1`): rates, idempotent shipment booking, tracking, and webhooks
 * signed with `X-Carrier-Signature: t=…,v1=…` (contract v1.1, see ./signature.ts).
 */
import { z } from 'zod';
import { TRACKING_STATUSES } from '../../domain/shipping/tracking';
import { carrierFetch } from './http';
import { headerValue, verifyWebhookSignature } from './signature';
import {
  type BookedShipment,
  type BookingRequest,
  type CallOptions,
  type Carrier,
  CarrierError,
  type CarrierRate,
  type RateRequest,
  type ReturnLabelRequest,
  type TrackingInfo,
  type WebhookEvent,
  WebhookPayloadError,
  WebhookSignatureError,
} from './types';

const Status = z.enum(TRACKING_STATUSES);
const RatesResponse = z.object({
  rates: z.array(
    z.object({
      service: z.string().min(1),
      amount: z.object({ amount: z.number().int().nonnegative(), currency: z.string().length(3) }),
      estimatedDays: z.number().int().positive(),
    }),
  ),
});
const ShipmentResponse = z.object({
  trackingNumber: z.string().min(1),
  status: Status,
  trackingUrl: z.string().nullable().optional(),
  labelUrl: z.string().nullable().optional(),
});
const TrackingResponse = z.object({
  trackingNumber: z.string(),
  status: Status,
  trackingUrl: z.string().nullable().optional(),
  events: z.array(z.object({ status: Status, at: z.string(), description: z.string().optional() })),
});
export const DirectWebhookBody = z.object({
  id: z.string().min(1),
  carrier: z.string(),
  trackingNumber: z.string().min(1),
  status: Status,
  at: z.string(),
  description: z.string().optional(),
});

export const SIGNATURE_HEADER = 'x-carrier-signature';

export interface DirectCarrierOptions {
  name: string;
  /** Base URL of the carrier API (e.g. CARRIER_URL); the adapter appends `/{name}/v1/...`. */
  baseUrl: string;
  webhookSecret: string;
  timeoutMs: number;
}

function parse<T>(carrier: string, schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new CarrierError(carrier, 'invalid_response', `${carrier}: unexpected response shape`, { retryable: false, cause: r.error });
  return r.data;
}

export class DirectCarrier implements Carrier {
  readonly name: string;
  private readonly base: string;

  constructor(private readonly opts: DirectCarrierOptions) {
    this.name = opts.name;
    this.base = `${opts.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(opts.name)}/v1`;
  }

  async rates(req: RateRequest, call?: CallOptions): Promise<CarrierRate[]> {
    const body = await carrierFetch(this.name, { method: 'POST', url: `${this.base}/rates`, body: req }, this.opts.timeoutMs, call);
    return parse(this.name, RatesResponse, body).rates;
  }

  async bookShipment(req: BookingRequest, call?: CallOptions): Promise<BookedShipment> {
    const { idempotencyKey, ...payload } = req;
    const body = await carrierFetch(
      this.name,
      { method: 'POST', url: `${this.base}/shipments`, body: payload, headers: { 'idempotency-key': idempotencyKey } },
      this.opts.timeoutMs,
      call,
    );
    const s = parse(this.name, ShipmentResponse, body);
    return { trackingNumber: s.trackingNumber, status: s.status, trackingUrl: s.trackingUrl ?? null, labelUrl: s.labelUrl ?? null };
  }

  /** `POST /{carrier}/v1/returns`: like a shipment, from the customer to the warehouse; idempotent by key. */
  async bookReturnLabel(req: ReturnLabelRequest, call?: CallOptions): Promise<BookedShipment> {
    const { idempotencyKey, ...payload } = req;
    const body = await carrierFetch(
      this.name,
      { method: 'POST', url: `${this.base}/returns`, body: payload, headers: { 'idempotency-key': idempotencyKey } },
      this.opts.timeoutMs,
      call,
    );
    const s = parse(this.name, ShipmentResponse, body);
    return { trackingNumber: s.trackingNumber, status: s.status, trackingUrl: s.trackingUrl ?? null, labelUrl: s.labelUrl ?? null };
  }

  async getTracking(trackingNumber: string, call?: CallOptions): Promise<TrackingInfo> {
    const body = await carrierFetch(
      this.name,
      { method: 'GET', url: `${this.base}/tracking/${encodeURIComponent(trackingNumber)}` },
      this.opts.timeoutMs,
      call,
    );
    const t = parse(this.name, TrackingResponse, body);
    return { trackingNumber: t.trackingNumber, status: t.status, trackingUrl: t.trackingUrl ?? null, events: t.events };
  }

  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): WebhookEvent {
    if (!verifyWebhookSignature(rawBody, this.opts.webhookSecret, headerValue(headers, SIGNATURE_HEADER)))
      throw new WebhookSignatureError();
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch (err) {
      throw new WebhookPayloadError('webhook body is not JSON', { cause: err });
    }
    const r = DirectWebhookBody.safeParse(json);
    if (!r.success) throw new WebhookPayloadError('webhook body is not a tracking event', { cause: r.error });
    if (r.data.carrier !== this.name) throw new WebhookPayloadError(`webhook is for carrier ${r.data.carrier}, not ${this.name}`);
    const { id, trackingNumber, status, at, description } = r.data;
    return { eventId: id, trackingNumber, status, at, ...(description ? { description } : {}) };
  }
}
