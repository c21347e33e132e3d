/** Shipping: live rates (public) and carrier tracking webhooks (HMAC). */
import { z } from '../../domain/schemas/common';
import { CarrierParamsSchema, RatesRequestSchema, RatesResponseSchema, WebhookAckSchema } from '../../domain/schemas/shipping';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';
import { handleCarrierWebhook, verifyCarrierWebhook } from '../shipping/carrier-webhook';
import { quoteRates } from '../shipping/quote-rates';

export function registerShippingRoutes(route: RouteRegistrar, deps: AppDeps): void {
  route({
    method: 'post',
    path: '/v1/shipping/rates',
    summary: 'Live shipping rates from every configured carrier',
    description:
      'Asks every carrier in parallel and answers within 3 s: a carrier that hangs or fails is listed in `unavailable`. ' +
      'The same request within the quote TTL returns the same quotes (and quoteIds). A quoteId can be used when placing an order.',
    tags: ['shipping'],
    auth: 'public',
    body: RatesRequestSchema,
    responses: { 200: { description: 'quotes, cheapest first, and the carriers that could not answer', schema: RatesResponseSchema } },
    errors: ['rate_limited', 'dependency_unavailable'],
    handler: async ({ body, res, log }) => {
      const { cached, ...result } = await quoteRates(deps, body, log);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Cache', cached ? 'hit' : 'miss');
      return result;
    },
  });

  route({
    method: 'post',
    path: '/v1/webhooks/carriers/{carrier}',
    summary: 'Carrier tracking events',
    description:
      'Authenticated by `X-Carrier-Signature: t=<unix seconds>,v1=<64 hex>`, the HMAC-SHA256 of `"{t}.{raw body}"` with that ' +
      "carrier's webhook secret; more than 300 s from now, or anything but exactly 64 hex characters → 401. " +
      'Body (direct carriers): `{ id, carrier, trackingNumber, status, at, description? }`. ' +
      'An event id seen before, events for unknown parcels and stale events are acknowledged (200) and ignored. ' +
      "(The EasyPost-shaped adapter verifies EasyPost's own `X-Hmac-Signature` instead.)",
    tags: ['shipping'],
    auth: 'custom',
    customAuth: { scheme: 'carrierSignature', holder: 'carrier' },
    params: CarrierParamsSchema,
    headers: z.object({
      'x-carrier-signature': z.string().optional().openapi({ description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">' }),
    }),
    responses: {
      200: { description: 'ignored (event id seen before, stale or unknown parcel)', schema: WebhookAckSchema },
      202: { description: 'accepted: handed to the tracking workflow', schema: WebhookAckSchema },
    },
    errors: ['unauthenticated', 'not_found', 'dependency_unavailable'],
    handler: async ({ req, res, params, log }) => {
      const event = verifyCarrierWebhook(deps, params.carrier, req.body, req.headers);
      if (!event) {
        res.status(200);
        return { status: 'ignored', reason: 'no_tracking_change' };
      }
      const outcome = await handleCarrierWebhook(
        deps,
        params.carrier,
        event,
        log.child({ carrier: params.carrier, eventId: event.eventId }),
      );
      res.status(outcome.status === 'accepted' ? 202 : 200);
      return outcome;
    },
  });
}
