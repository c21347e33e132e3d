/**
 * Carrier sandbox: one HTTP server imitating several carriers (SANDBOX.md), each under
 * `/{carrier}/v1`: rates priced deterministically from destination, parcel weights and service;
 * shipment booking idempotent by `Idempotency-Key` (same key → same label and tracking number);
 * tracking. Test controls:
 *   POST /__faults   { carrier?, hang?, errorRate?, latencyMs?, down?, reset? } (no carrier = all)
 *   POST /__advance  { trackingNumber }  next tracking state, plus a signed webhook when configured
 *   POST /__webhook  { url: string | null }  where webhooks go (`{carrier}` is replaced); null = off
 *   GET  /__stats    request counters per carrier (so tests can prove "no carrier call");
 *                    POST /__stats/reset zeroes them (labels are kept)
 *   GET  /__shipments  every label booked
 * Also an aggregator with EasyPost's API shape at `/easypost/v2` (easypost-fake.ts); `__advance`
 * moves its parcels too and posts EasyPost-style signed tracker events.
 * `errorRate` fails that fraction of requests, spread evenly over each carrier's request counter
 * (deterministic: 0.3 fails the 4th, 7th, 10th… request), so tests are reproducible.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { TRACKING_NOTES, type TrackingStatus } from '../../domain/shipping/tracking';
import { signWebhook } from '../carriers/signature';
import { SANDBOX_CARRIERS, type SandboxCarrierDef, sandboxRates } from './carrier-pricing';
import { createEasyPostFake } from './easypost-fake';

export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:3000/v1/webhooks/carriers/{carrier}';

/** The engine's carrier webhook endpoint, as the carrier sandbox should call it (null = off). */
export function carrierWebhookUrl(c: Pick<Config, 'SANDBOX_CARRIER_WEBHOOK_URL' | 'PUBLIC_URL' | 'HOST' | 'PORT'>): string | null {
  if (c.SANDBOX_CARRIER_WEBHOOK_URL === 'off') return null;
  if (c.SANDBOX_CARRIER_WEBHOOK_URL) return c.SANDBOX_CARRIER_WEBHOOK_URL;
  const host = c.HOST === '0.0.0.0' || c.HOST === '::' ? '127.0.0.1' : c.HOST;
  const base = c.PUBLIC_URL ?? `http://${host}:${c.PORT}`;
  return `${base.replace(/\/+$/, '')}/v1/webhooks/carriers/{carrier}`;
}

interface Faults {
  hang: boolean;
  down: boolean;
  errorRate: number;
  latencyMs: number;
}

export interface CarrierStats {
  requests: number;
  rates: number;
  shipments: number;
  tracking: number;
  injectedErrors: number;
  labels: number;
}

interface SandboxShipment {
  carrier: string;
  service: string;
  trackingNumber: string;
  idempotencyKey: string;
  reference: string;
  status: TrackingStatus;
  events: { status: TrackingStatus; at: string; description: string }[];
  createdAt: string;
  /** A return label (`POST /{carrier}/v1/returns`): customer → warehouse, no out_for_delivery step. */
  kind?: 'return';
}

export interface CarrierSandbox {
  url: string;
  port: number;
  stats(): Record<string, CarrierStats>;
  close(): Promise<void>;
}

const FaultsBody = z.strictObject({
  carrier: z.string().optional(),
  hang: z.boolean().optional(),
  down: z.boolean().optional(),
  errorRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  reset: z.boolean().optional(),
});
const Parcels = z
  .array(z.object({ weightGrams: z.number().positive() }))
  .min(1)
  .max(1000);
const RatesBody = z.object({
  destination: z.object({ country: z.string().length(2), postalCode: z.string().min(1), city: z.string().optional() }),
  parcels: Parcels,
});
const ShipmentBody = z.object({
  service: z.string().min(1),
  address: z
    .object({ name: z.string(), line1: z.string(), city: z.string(), postalCode: z.string(), country: z.string().length(2) })
    .loose(),
  parcels: Parcels,
  reference: z.string().min(1),
});
const LIFECYCLE: TrackingStatus[] = ['label_created', 'in_transit', 'out_for_delivery', 'delivered'];
/** A return parcel goes back to the warehouse: no delivery round (SANDBOX.md "Since contract v1.1"). */
const RETURN_LIFECYCLE: TrackingStatus[] = ['label_created', 'in_transit', 'delivered'];
const ReturnBody = z.object({
  service: z.string().min(1),
  from: z.object({ name: z.string(), line1: z.string(), city: z.string(), postalCode: z.string(), country: z.string().length(2) }).loose(),
  parcels: Parcels,
  reference: z.string().min(1),
});

const noFaults = (): Faults => ({ hang: false, down: false, errorRate: 0, latencyMs: 0 });
const emptyStats = (): CarrierStats => ({ requests: 0, rates: 0, shipments: 0, tracking: 0, injectedErrors: 0, labels: 0 });

export async function startCarrierSandbox(
  opts: {
    port?: number;
    host?: string;
    /** Engine webhook URL (`{carrier}` is replaced); undefined → DEFAULT_WEBHOOK_URL, null → webhooks off. */
    webhookUrl?: string | null;
    /** Webhook secret of every carrier not in `secrets` (dev: dev-webhook-secret). */
    secret: string;
    /** Per-carrier webhook secrets (CARRIER_WEBHOOK_SECRETS), over `secret`. */
    secrets?: Record<string, string>;
    /** Secret of the EasyPost-shaped webhooks (default: `secret`). */
    easypostWebhookSecret?: string;
    carriers?: string[];
    log?: (msg: string) => void;
  } = { secret: 'dev-webhook-secret' },
): Promise<CarrierSandbox> {
  const defs: SandboxCarrierDef[] = (opts.carriers ?? Object.keys(SANDBOX_CARRIERS)).map((n) => {
    const d = SANDBOX_CARRIERS[n];
    if (!d) throw new Error(`carrier sandbox: unknown carrier ${n} (known: ${Object.keys(SANDBOX_CARRIERS).join(', ')})`);
    return d;
  });
  const faults = new Map(defs.map((d) => [d.name, noFaults()]));
  const stats = new Map(defs.map((d) => [d.name, emptyStats()]));
  const shipments = new Map<string, SandboxShipment>();
  const byKey = new Map<string, string>();
  let webhookUrl: string | null = opts.webhookUrl === undefined ? DEFAULT_WEBHOOK_URL : opts.webhookUrl;
  const hanging = new Set<Response>();

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  const bad = (res: Response, error: string, status = 400) => res.status(status).json({ error });

  // --- test controls --------------------------------------------------------------------------
  app.post('/__faults', (req, res) => {
    const r = FaultsBody.safeParse(req.body ?? {});
    if (!r.success) return bad(res, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { carrier, reset, ...change } = r.data;
    if (carrier !== undefined && !faults.has(carrier)) return bad(res, `unknown carrier ${carrier}`, 404);
    for (const name of carrier ? [carrier] : [...faults.keys()]) {
      const f = reset ? noFaults() : (faults.get(name) as Faults);
      faults.set(name, { ...f, ...change });
    }
    return res.json({ faults: Object.fromEntries(faults) });
  });
  app.get('/__faults', (_req, res) => res.json({ faults: Object.fromEntries(faults) }));
  app.get('/__stats', (_req, res) =>
    res.json({ carriers: Object.fromEntries(stats), easypost: { requests: easypost.requests(), purchases: easypost.purchases() } }),
  );
  app.post('/__stats/reset', (_req, res) => {
    for (const name of stats.keys()) stats.set(name, { ...emptyStats(), labels: stats.get(name)?.labels ?? 0 });
    res.json({ carriers: Object.fromEntries(stats) });
  });
  app.get('/__shipments', (_req, res) => res.json({ shipments: [...shipments.values()] }));
  app.post('/__webhook', (req, res) => {
    const r = z.strictObject({ url: z.string().nullable() }).safeParse(req.body ?? {});
    if (!r.success) return bad(res, 'body must be { url: string | null }');
    webhookUrl = r.data.url;
    return res.json({ url: webhookUrl });
  });
  app.post('/__advance', async (req, res) => {
    const r = z.strictObject({ trackingNumber: z.string().min(1) }).safeParse(req.body ?? {});
    if (!r.success) return bad(res, 'body must be { trackingNumber }');
    const s = shipments.get(r.data.trackingNumber);
    if (!s) return advanceEasyPost(r.data.trackingNumber, res);
    const lifecycle = s.kind === 'return' ? RETURN_LIFECYCLE : LIFECYCLE;
    const idx = lifecycle.indexOf(s.status);
    const next = lifecycle[idx + 1];
    if (idx < 0 || !next) return bad(res, `parcel is already ${s.status}`, 409);
    const at = new Date().toISOString();
    s.status = next;
    s.events.push({ status: next, at, description: TRACKING_NOTES[next] });
    const webhook = await deliverWebhook(s, next, at);
    return res.json({ trackingNumber: s.trackingNumber, status: next, webhook });
  });

  async function advanceEasyPost(trackingNumber: string, res: Response) {
    const moved = easypost.advance(trackingNumber, opts.easypostWebhookSecret ?? opts.secrets?.easypost ?? opts.secret);
    if (!moved) return bad(res, `unknown tracking number ${trackingNumber}`, 404);
    if (moved === 'final') return bad(res, 'parcel is already delivered', 409);
    const webhook = await postWebhook('easypost', moved.body, { 'x-hmac-signature': moved.signature });
    return res.json({ trackingNumber, status: moved.status, webhook });
  }

  async function postWebhook(carrier: string, body: string, headers: Record<string, string>) {
    if (!webhookUrl) return { sent: false };
    const url = webhookUrl.replace('{carrier}', encodeURIComponent(carrier));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      return { sent: true, url, status: res.status };
    } catch (err) {
      opts.log?.(`webhook to ${url} failed: ${(err as Error).message}`);
      return { sent: false, url, error: (err as Error).message };
    }
  }

  function deliverWebhook(s: SandboxShipment, status: TrackingStatus, at: string) {
    const body = JSON.stringify({
      id: `evt_${s.trackingNumber}_${status}`,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      status,
      at,
      description: TRACKING_NOTES[status],
    });
    // Signed the v1.1 way, at the moment of sending, with that carrier's own secret.
    return postWebhook(s.carrier, body, { 'x-carrier-signature': signWebhook(body, opts.secrets?.[s.carrier] ?? opts.secret) });
  }

  // --- an aggregator with EasyPost's API shape, reselling the carriers above ---------------------
  const easypost = createEasyPostFake(() => baseUrl);
  app.use('/easypost/v2', easypost.router);

  // --- carrier APIs -----------------------------------------------------------------------------
  const carrierRouter = express.Router({ mergeParams: true });

  app.use(
    '/:carrier/v1',
    async (req: Request<{ carrier: string }>, res: Response, next: NextFunction) => {
      const name = req.params.carrier;
      const f = faults.get(name);
      const st = stats.get(name);
      if (!f || !st) return bad(res, `unknown carrier ${name}`, 404);
      st.requests++;
      if (f.hang) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return; // never answers
      }
      if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (f.down) return bad(res, 'carrier unavailable', 503);
      const n = st.requests;
      if (f.errorRate > 0 && Math.floor(n * f.errorRate) > Math.floor((n - 1) * f.errorRate)) {
        st.injectedErrors++;
        return bad(res, 'injected carrier error', 503);
      }
      res.locals.carrier = SANDBOX_CARRIERS[name];
      res.locals.stats = st;
      return next();
    },
    carrierRouter,
  );

  carrierRouter.post('/rates', (req, res) => {
    (res.locals.stats as CarrierStats).rates++;
    const r = RatesBody.safeParse(req.body);
    if (!r.success) return bad(res, 'invalid rate request');
    return res.json({ rates: sandboxRates(res.locals.carrier as SandboxCarrierDef, r.data.destination, r.data.parcels) });
  });

  carrierRouter.post('/shipments', (req, res) => {
    const def = res.locals.carrier as SandboxCarrierDef;
    const st = res.locals.stats as CarrierStats;
    st.shipments++;
    const key = req.get('idempotency-key');
    if (!key) return bad(res, 'Idempotency-Key header required');
    const r = ShipmentBody.safeParse(req.body);
    if (!r.success) return bad(res, 'invalid shipment request');
    if (!def.services.some((s) => s.service === r.data.service)) return bad(res, `unknown service ${r.data.service}`, 422);
    const existing = byKey.get(`${def.name}:${key}`);
    if (existing) return res.status(200).json(view(shipments.get(existing) as SandboxShipment));
    const digest = createHash('sha256').update(`${def.name}:${key}`).digest('hex').slice(0, 12).toUpperCase();
    const trackingNumber = `${def.trackingPrefix}${digest}`;
    const at = new Date().toISOString();
    const s: SandboxShipment = {
      carrier: def.name,
      service: r.data.service,
      trackingNumber,
      idempotencyKey: key,
      reference: r.data.reference,
      status: 'label_created',
      events: [{ status: 'label_created', at, description: TRACKING_NOTES.label_created }],
      createdAt: at,
    };
    shipments.set(trackingNumber, s);
    byKey.set(`${def.name}:${key}`, trackingNumber);
    st.labels++;
    return res.status(201).json(view(s));
  });

  // Return labels: booked like shipments (idempotent by Idempotency-Key, same key space per carrier
  // prefixed `return:`), tracked and advanced like them, with a shorter lifecycle.
  carrierRouter.post('/returns', (req, res) => {
    const def = res.locals.carrier as SandboxCarrierDef;
    const st = res.locals.stats as CarrierStats;
    st.shipments++;
    const key = req.get('idempotency-key');
    if (!key) return bad(res, 'Idempotency-Key header required');
    const r = ReturnBody.safeParse(req.body);
    if (!r.success) return bad(res, 'invalid return label request');
    if (!def.services.some((s) => s.service === r.data.service)) return bad(res, `unknown service ${r.data.service}`, 422);
    const slot = `${def.name}:return:${key}`;
    const existing = byKey.get(slot);
    if (existing) return res.status(200).json(view(shipments.get(existing) as SandboxShipment));
    const digest = createHash('sha256').update(slot).digest('hex').slice(0, 12).toUpperCase();
    const trackingNumber = `${def.trackingPrefix}R${digest}`;
    const at = new Date().toISOString();
    const s: SandboxShipment = {
      carrier: def.name,
      service: r.data.service,
      trackingNumber,
      idempotencyKey: key,
      reference: r.data.reference,
      status: 'label_created',
      events: [{ status: 'label_created', at, description: TRACKING_NOTES.label_created }],
      createdAt: at,
      kind: 'return',
    };
    shipments.set(trackingNumber, s);
    byKey.set(slot, trackingNumber);
    st.labels++;
    return res.status(201).json(view(s));
  });

  carrierRouter.get('/tracking/:trackingNumber', (req, res) => {
    (res.locals.stats as CarrierStats).tracking++;
    const s = shipments.get(String(req.params.trackingNumber));
    if (!s || s.carrier !== (res.locals.carrier as SandboxCarrierDef).name) return bad(res, 'unknown tracking number', 404);
    return res.json({ ...view(s), events: s.events });
  });

  // The public tracking page a customer follows from the order (JSON here; a carrier serves HTML).
  app.get('/:carrier/track/:trackingNumber', (req, res) => {
    const s = shipments.get(String(req.params.trackingNumber));
    if (!s || s.carrier !== req.params.carrier) return bad(res, 'unknown tracking number', 404);
    return res.json({ ...view(s), events: s.events });
  });

  let baseUrl = '';
  const view = (s: SandboxShipment) => ({
    trackingNumber: s.trackingNumber,
    status: s.status,
    service: s.service,
    trackingUrl: `${baseUrl}/${s.carrier}/track/${s.trackingNumber}`,
    labelUrl: `${baseUrl}/${s.carrier}/labels/${s.trackingNumber}.pdf`,
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  // Label and tracking URLs must be reachable: a wildcard bind is reached through loopback.
  baseUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  return {
    url: baseUrl,
    port,
    stats: () => Object.fromEntries([...stats].map(([k, v]) => [k, { ...v }])),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
