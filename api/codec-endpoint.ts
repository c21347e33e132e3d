/**
 * The remote codec endpoint (Temporal's codec-server protocol, used by the Web UI and the
 * `temporal` CLI's `--codec-endpoint`): `POST /codec/encode` and `POST /codec/decode` take and
 * return `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }` (Payloads in proto3 JSON).
 * Only the last path segment selects the operation, as the protocol asks, so `/codec/{namespace}/decode`
 * works too; the `X-Namespace` header is accepted and ignored (one namespace, one key set).
 *
 * Behind the `ops` role (admin passes): decoding shows tokens and addresses in clear. Browsers
 * reach it from the Web UI's origin (CORS: CODEC_CORS_ORIGINS, default TEMPORAL_UI_URL's). The UI
 * cannot attach an API key, so in development only (NODE_ENV=development, where the ops key is
 * the published `dev-ops-key` anyway) a browser request from an allowed origin needs no key —
 * that is what lets `npm run dev`'s Web UI show decoded payloads. Elsewhere, put the UI behind a
 * proxy that adds the ops key, or decode with `temporal workflow show --codec-endpoint … --codec-auth "Bearer …"`.
 */
import type { Payload } from '@temporalio/common';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import { payloadCodecFromConfig } from '../temporal/payload-codec';
import { ApiKeyAuthenticator, parseApiKeys } from './auth';
import type { AppDeps } from './deps';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const PayloadsBody = z.strictObject({
  payloads: z.array(z.strictObject({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() })).max(10_000),
});
type JsonPayload = z.infer<typeof PayloadsBody>['payloads'][number];

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/** The browser origins the Web UI is served from: configured, or TEMPORAL_UI_URL's (with its localhost/127.0.0.1 twin). */
export function codecCorsOrigins(config: Pick<AppDeps['config'], 'CODEC_CORS_ORIGINS' | 'TEMPORAL_UI_URL'>): Set<string> {
  if (config.CODEC_CORS_ORIGINS) {
    return new Set(
      config.CODEC_CORS_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  const ui = new URL(config.TEMPORAL_UI_URL);
  const origins = new Set([ui.origin]);
  if (ui.hostname === '127.0.0.1') origins.add(ui.origin.replace('127.0.0.1', 'localhost'));
  if (ui.hostname === 'localhost') origins.add(ui.origin.replace('localhost', '127.0.0.1'));
  return origins;
}

export function codecEndpoint(deps: AppDeps): Router {
  const codec = payloadCodecFromConfig(deps.config);
  const auth = new ApiKeyAuthenticator(parseApiKeys(deps.config.API_KEYS));
  const origins = codecCorsOrigins(deps.config);
  const devUi = deps.config.NODE_ENV === 'development';
  const router = express.Router();

  router.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });

  const handle = (op: 'encode' | 'decode') => [
    (req: Request, _res: Response, next: NextFunction) => {
      try {
        const fromUi = devUi && !req.headers.authorization && origins.has(req.headers.origin ?? '');
        if (!fromUi) auth.authorize(req.headers.authorization, ['ops']);
        next();
      } catch (err) {
        next(err);
      }
    },
    // Read only after authorization; a history's worth of payloads can exceed the API's default limit.
    express.json({ limit: '4mb', strict: true }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const parsed = PayloadsBody.safeParse(req.body);
        if (!parsed.success) {
          throw new AppError('invalid_request', 'Expected { payloads: [{ metadata, data }] } with base64 values', {
            errors: parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
        }
        const input = parsed.data.payloads.map(fromJson);
        let output: Payload[];
        try {
          output = op === 'encode' ? await codec.encode(input) : await codec.decode(input);
        } catch (err) {
          throw new AppError('invalid_request', `Cannot ${op} these payloads: ${(err as Error).message}`, { cause: err });
        }
        res.setHeader('Cache-Control', 'no-store');
        res.json({ payloads: output.map(toJson) });
      } catch (err) {
        next(err);
      }
    },
  ];
  // Only the last segment selects the operation (codec-server protocol): /codec/decode, /codec/{ns}/decode.
  router.post(/^(?:\/[^/]+)*\/encode\/?$/, ...handle('encode'));
  router.post(/^(?:\/[^/]+)*\/decode\/?$/, ...handle('decode'));
  return router;
}
