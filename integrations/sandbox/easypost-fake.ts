/**
 * A small fake of EasyPost's v2 API shape (shipments with rates, buy, trackers, tracker.updated
 * events signed `hmac-sha256-hex=`), mounted by the carrier sandbox at `/easypost/v2`. It resells
 * the sandbox carriers (SwiftShip, ParcelPro) at their sandbox prices, so the EasyPost adapter can
 * be exercised end to end without the real service.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { TrackingStatus } from '../../domain/shipping/tracking';
import { easyPostSignature } from '../carriers/easypost';
import { SANDBOX_CARRIERS, sandboxRates } from './carrier-pricing';

const GRAMS_PER_OUNCE = 28.349523125;
const EP_STATUS: Record<TrackingStatus, string> = {
  label_created: 'pre_transit',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  returned: 'return_to_sender',
};
const LIFECYCLE: TrackingStatus[] = ['label_created', 'in_transit', 'out_for_delivery', 'delivered'];
/** `is_return` shipments go back to the warehouse: no out_for_delivery. */
const RETURN_LIFECYCLE: TrackingStatus[] = ['label_created', 'in_transit', 'delivered'];

interface FakeRate {
  id: string;
  carrier: string;
  service: string;
  rate: string;
  currency: string;
  delivery_days: number;
}
interface FakeShipment {
  id: string;
  reference: string | null;
  rates: FakeRate[];
  tracking_code: string | null;
  postage_label: { label_url: string } | null;
  tracker: { public_url: string; status: string } | null;
  is_return: boolean;
}
interface FakeTracker {
  tracking_code: string;
  status: TrackingStatus;
  public_url: string;
  tracking_details: { status: string; datetime: string; message: string }[];
  is_return?: boolean;
}

export interface EasyPostFake {
  router: Router;
  requests(): number;
  purchases(): number;
  /** Moves a tracker to its next state; returns the signed event to deliver, or undefined if unknown. */
  advance(trackingCode: string, secret: string): { status: TrackingStatus; body: string; signature: string } | 'final' | undefined;
}

const display = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replace('ship', 'Ship').replace('pro', 'Pro');

export function createEasyPostFake(baseUrl: () => string): EasyPostFake {
  const shipments = new Map<string, FakeShipment>();
  const trackers = new Map<string, FakeTracker>();
  let requests = 0;
  let purchases = 0;
  let seq = 0;
  const router = express.Router();
  const error = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

  router.use((req: Request, res: Response, next) => {
    requests++;
    const auth = req.get('authorization') ?? '';
    const user = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':')[0] : '';
    if (!user) return error(res, 401, 'APIKEY.REQUIRED', 'API key required');
    return next();
  });

  router.post('/shipments', (req, res) => {
    const s = req.body?.shipment;
    const weightOz = Number(s?.parcel?.weight);
    if (!s?.to_address?.zip || !s?.to_address?.country || !s?.from_address || !(weightOz > 0)) {
      return error(res, 422, 'SHIPMENT.INVALID_PARAMS', 'to_address (zip, country), from_address and parcel.weight are required');
    }
    const id = `shp_${(++seq).toString(16).padStart(8, '0')}`;
    const grams = Math.round(weightOz * GRAMS_PER_OUNCE);
    const rates = Object.values(SANDBOX_CARRIERS).flatMap((def) =>
      sandboxRates(def, { country: String(s.to_address.country), postalCode: String(s.to_address.zip) }, [{ weightGrams: grams }]).map(
        (r) => ({
          id: `rate_${id.slice(4)}_${def.name}_${r.service}`,
          carrier: display(def.name),
          service: r.service,
          rate: (r.amount.amount / 100).toFixed(2),
          currency: r.amount.currency,
          delivery_days: r.estimatedDays,
        }),
      ),
    );
    const shipment: FakeShipment = {
      id,
      reference: s.reference ?? null,
      rates,
      tracking_code: null,
      postage_label: null,
      tracker: null,
      is_return: s.is_return === true,
    };
    shipments.set(id, shipment);
    return res.status(201).json({ object: 'Shipment', ...shipment });
  });

  router.post('/shipments/:id/buy', (req, res) => {
    const s = shipments.get(String(req.params.id));
    if (!s) return error(res, 404, 'SHIPMENT.NOT_FOUND', 'shipment not found');
    if (s.tracking_code) return error(res, 422, 'SHIPMENT.POSTAGE.EXISTS', 'postage already purchased');
    const rate = s.rates.find((r) => r.id === req.body?.rate?.id);
    if (!rate) return error(res, 422, 'SHIPMENT.RATE.INVALID', 'rate not found');
    purchases++;
    const code = `EZ${createHash('sha256').update(s.id).digest('hex').slice(0, 14).toUpperCase()}`;
    const publicUrl = `${baseUrl()}/easypost/track/${code}`;
    const now = new Date().toISOString();
    trackers.set(code, {
      tracking_code: code,
      status: 'label_created',
      public_url: publicUrl,
      tracking_details: [{ status: 'pre_transit', datetime: now, message: 'Label created' }],
      ...(s.is_return ? { is_return: true } : {}),
    });
    s.tracking_code = code;
    s.postage_label = { label_url: `${baseUrl()}/easypost/labels/${code}.png` };
    s.tracker = { public_url: publicUrl, status: 'pre_transit' };
    return res.json({ object: 'Shipment', ...s, selected_rate: rate });
  });

  router.post('/trackers', (req, res) => {
    const code = String(req.body?.tracker?.tracking_code ?? '');
    if (!code) return error(res, 422, 'TRACKER.INVALID_PARAMS', 'tracking_code is required');
    const t = trackers.get(code);
    if (!t)
      return res.status(201).json({ object: 'Tracker', tracking_code: code, status: 'unknown', public_url: null, tracking_details: [] });
    return res.json({ object: 'Tracker', ...t, status: EP_STATUS[t.status] });
  });

  return {
    router,
    requests: () => requests,
    purchases: () => purchases,
    advance(code, secret) {
      const t = trackers.get(code);
      if (!t) return undefined;
      const lifecycle = t.is_return ? RETURN_LIFECYCLE : LIFECYCLE;
      const next = lifecycle[lifecycle.indexOf(t.status) + 1];
      if (!next) return 'final';
      t.status = next;
      t.tracking_details.push({ status: EP_STATUS[next], datetime: new Date().toISOString(), message: next.replace(/_/g, ' ') });
      const { is_return: _r, ...tracker } = t;
      const body = JSON.stringify({
        object: 'Event',
        id: `evt_${code}_${next}`,
        description: 'tracker.updated',
        result: { object: 'Tracker', ...tracker, status: EP_STATUS[next] },
      });
      return { status: next, body, signature: easyPostSignature(body, secret) };
    },
  };
}
