/**
 * Adapter for an aggregator with EasyPost's public API shape (v2, https://docs.easypost.com):
 * one `Carrier` that stands for every carrier account behind it. Quotes name the real carrier in
 * the service (`USPS:Priority`).
 *   rates    POST {base}/shipments { shipment: { to_address, from_address, parcel } } → shipment.rates
 *            (one shipment per parcel, in parallel; a service is offered when every parcel has it,
 *            priced at the sum)
 *   book     POST {base}/shipments (reference = booking key) then POST {base}/shipments/{id}/buy
 *            { rate: { id } } → tracking_code, postage_label.label_url, tracker.public_url
 *   track    POST {base}/trackers { tracker: { tracking_code } } (EasyPost returns the existing
 *            tracker for a known code) → status, tracking_details
 *   webhook  Event { id, description: "tracker.updated", result: Tracker }, signed with
 *            `X-Hmac-Signature: hmac-sha256-hex=<hex HMAC-SHA256 of the raw body>` (secret NFKD-normalized)
 * Authentication: HTTP Basic with the API key as user name. Weights are sent in ounces.
 * Limits: one parcel per booking (multi-parcel shipments are EasyPost Orders — not wired here);
 * the buy call carries our Idempotency-Key, but EasyPost does not document buying as idempotent,
 * so a crash between "bought" and "row written" can only be reconciled from the shipment's
 * `reference` (= booking key) in the EasyPost dashboard.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { TrackingStatus } from '../../domain/shipping/tracking';
import { carrierFetch } from './http';
import { headerValue } from './signature';
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

export interface EasyPostOptions {
  name: string;
  /** e.g. https://api.easypost.com/v2 */
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  /** A stored EasyPost Address id (adr_…) to ship from. */
  fromAddressId: string;
  timeoutMs: number;
}

const GRAMS_PER_OUNCE = 28.349523125;

const EPRate = z.object({
  id: z.string(),
  carrier: z.string(),
  service: z.string(),
  rate: z.string().regex(/^\d+(\.\d{1,2})?$/),
  currency: z.string().length(3),
  delivery_days: z.number().int().nullable().optional(),
});
const EPShipment = z.object({
  id: z.string(),
  rates: z.array(EPRate).default([]),
  tracking_code: z.string().nullable().optional(),
  postage_label: z.object({ label_url: z.string().nullable().optional() }).nullable().optional(),
  tracker: z.object({ public_url: z.string().nullable().optional(), status: z.string().nullable().optional() }).nullable().optional(),
});
const EPTracker = z.object({
  tracking_code: z.string(),
  status: z.string(),
  public_url: z.string().nullable().optional(),
  tracking_details: z.array(z.object({ status: z.string(), datetime: z.string(), message: z.string().nullable().optional() })).default([]),
});
const EPEvent = z.object({ id: z.string(), description: z.string(), result: z.unknown() });

/** EasyPost tracker statuses onto ours; statuses with no place in the lifecycle map to undefined. */
export function mapEasyPostStatus(status: string): TrackingStatus | undefined {
  switch (status) {
    case 'pre_transit':
      return 'label_created';
    case 'in_transit':
      return 'in_transit';
    case 'out_for_delivery':
    case 'available_for_pickup':
      return 'out_for_delivery';
    case 'delivered':
      return 'delivered';
    case 'return_to_sender':
      return 'returned';
    default:
      return undefined; // unknown, failure, error, cancelled: nothing to record
  }
}

export function easyPostSignature(rawBody: Buffer | string, secret: string): string {
  return `hmac-sha256-hex=${createHmac('sha256', secret.normalize('NFKD')).update(rawBody).digest('hex')}`;
}

function toMinor(rate: string): number {
  const [whole, frac = ''] = rate.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export class EasyPostCarrier implements Carrier {
  readonly name: string;
  private readonly auth: string;

  constructor(private readonly opts: EasyPostOptions) {
    this.name = opts.name;
    this.auth = `Basic ${Buffer.from(`${opts.apiKey}:`).toString('base64')}`;
  }

  private call(method: 'GET' | 'POST', path: string, body: unknown, call: CallOptions | undefined, headers: Record<string, string> = {}) {
    return carrierFetch(
      this.name,
      { method, url: `${this.opts.baseUrl.replace(/\/+$/, '')}${path}`, body, headers: { authorization: this.auth, ...headers } },
      this.opts.timeoutMs,
      call,
    );
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown): T {
    const r = schema.safeParse(body);
    if (!r.success)
      throw new CarrierError(this.name, 'invalid_response', `${this.name}: unexpected response shape`, {
        retryable: false,
        cause: r.error,
      });
    return r.data;
  }

  private async createShipment(
    toAddress: Record<string, unknown>,
    weightGrams: number,
    call: CallOptions | undefined,
    reference?: string,
    isReturn = false,
  ): Promise<z.infer<typeof EPShipment>> {
    // EasyPost return labels: the same addresses with `is_return: true` (it swaps them on the label).
    const body = {
      shipment: {
        to_address: toAddress,
        from_address: { id: this.opts.fromAddressId },
        parcel: { weight: Math.max(0.1, Math.ceil((weightGrams / GRAMS_PER_OUNCE) * 10) / 10) },
        ...(reference ? { reference } : {}),
        ...(isReturn ? { is_return: true } : {}),
      },
    };
    return this.parse(EPShipment, await this.call('POST', '/shipments', body, call));
  }

  async rates(req: RateRequest, call?: CallOptions): Promise<CarrierRate[]> {
    const to = {
      zip: req.destination.postalCode,
      country: req.destination.country,
      ...(req.destination.city ? { city: req.destination.city } : {}),
    };
    const shipments = await Promise.all(req.parcels.map((p) => this.createShipment(to, p.weightGrams, call)));
    const totals = new Map<string, CarrierRate & { parcels: number }>();
    for (const s of shipments) {
      for (const r of s.rates) {
        const service = `${r.carrier}:${r.service}`;
        const t = totals.get(service) ?? { service, amount: { amount: 0, currency: r.currency }, estimatedDays: 0, parcels: 0 };
        t.amount.amount += toMinor(r.rate);
        t.estimatedDays = Math.max(t.estimatedDays, r.delivery_days ?? 7);
        t.parcels++;
        totals.set(service, t);
      }
    }
    return [...totals.values()].filter((t) => t.parcels === shipments.length).map(({ parcels: _, ...rate }) => rate);
  }

  async bookShipment(req: BookingRequest, call?: CallOptions): Promise<BookedShipment> {
    return this.buy(req.service, req.address, req.parcels, req.idempotencyKey, false, call);
  }

  /** A return label: `is_return: true`, bought like a shipment (the idempotency caveat above applies). */
  async bookReturnLabel(req: ReturnLabelRequest, call?: CallOptions): Promise<BookedShipment> {
    return this.buy(req.service, req.from, req.parcels, req.idempotencyKey, true, call);
  }

  private async buy(
    serviceName: string,
    a: BookingRequest['address'],
    parcels: BookingRequest['parcels'],
    idempotencyKey: string,
    isReturn: boolean,
    call?: CallOptions,
  ): Promise<BookedShipment> {
    const req = { service: serviceName, parcels, idempotencyKey };
    if (req.parcels.length !== 1) {
      throw new CarrierError(this.name, 'rejected', `${this.name}: one parcel per booking (got ${req.parcels.length})`, {
        retryable: false,
      });
    }
    const [carrier, service] = req.service.split(':');
    const to = {
      name: a.name,
      street1: a.line1,
      ...(a.line2 ? { street2: a.line2 } : {}),
      city: a.city,
      zip: a.postalCode,
      country: a.country,
    };
    const shipment = await this.createShipment(
      to,
      (req.parcels[0] as { weightGrams: number }).weightGrams,
      call,
      req.idempotencyKey,
      isReturn,
    );
    const rate = shipment.rates.find((r) => r.carrier === carrier && r.service === service);
    if (!rate)
      throw new CarrierError(this.name, 'rejected', `${this.name}: no ${req.service} rate for this shipment`, { retryable: false });
    const bought = this.parse(
      EPShipment,
      await this.call('POST', `/shipments/${encodeURIComponent(shipment.id)}/buy`, { rate: { id: rate.id } }, call, {
        'idempotency-key': req.idempotencyKey,
      }),
    );
    if (!bought.tracking_code)
      throw new CarrierError(this.name, 'invalid_response', `${this.name}: bought shipment has no tracking code`, { retryable: false });
    return {
      trackingNumber: bought.tracking_code,
      status: mapEasyPostStatus(bought.tracker?.status ?? 'pre_transit') ?? 'label_created',
      trackingUrl: bought.tracker?.public_url ?? null,
      labelUrl: bought.postage_label?.label_url ?? null,
    };
  }

  async getTracking(trackingNumber: string, call?: CallOptions): Promise<TrackingInfo> {
    const t = this.parse(EPTracker, await this.call('POST', '/trackers', { tracker: { tracking_code: trackingNumber } }, call));
    const events = t.tracking_details.flatMap((d) => {
      const status = mapEasyPostStatus(d.status);
      return status ? [{ status, at: d.datetime, ...(d.message ? { description: d.message } : {}) }] : [];
    });
    const status = mapEasyPostStatus(t.status) ?? events.at(-1)?.status ?? 'label_created';
    return { trackingNumber: t.tracking_code, status, trackingUrl: t.public_url ?? null, events };
  }

  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): WebhookEvent | null {
    const presented = headerValue(headers, 'x-hmac-signature') ?? '';
    const expected = Buffer.from(easyPostSignature(rawBody, this.opts.webhookSecret));
    const given = Buffer.from(presented.trim().toLowerCase());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WebhookSignatureError();
    let event: z.infer<typeof EPEvent>;
    let tracker: z.infer<typeof EPTracker>;
    try {
      event = EPEvent.parse(JSON.parse(rawBody.toString('utf8')));
    } catch (err) {
      throw new WebhookPayloadError('webhook body is not an EasyPost event', { cause: err });
    }
    if (event.description !== 'tracker.updated' && event.description !== 'tracker.created') return null; // e.g. batch.updated
    try {
      tracker = EPTracker.parse(event.result);
    } catch (err) {
      throw new WebhookPayloadError('tracker event without a tracker', { cause: err });
    }
    const status = mapEasyPostStatus(tracker.status);
    if (!status) return null; // failure / unknown: nothing to put on the timeline
    const last = tracker.tracking_details.at(-1);
    return {
      eventId: event.id,
      trackingNumber: tracker.tracking_code,
      status,
      at: last?.datetime ?? new Date().toISOString(),
      ...(last?.message ? { description: last.message } : {}),
    };
  }
}
