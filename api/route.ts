/**
 * One place that defines a route: its schemas validate the request AND describe it in OpenAPI,
 * so the document cannot drift from what the server accepts. Unknown query parameters and body
 * fields are rejected because route schemas are strict objects.
 */
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../domain/errors';
import { MAX_FIELD_ERRORS } from '../domain/schemas/common';
import type { Logger } from '../observability/logger';
import type { ApiKeyAuthenticator, Role } from './auth';
import { CUSTOMER_TOKEN_HEADER, type CustomerIdentity, type CustomerTokenVerifier } from './customer-token';
import { rateLimitGroup } from './middleware/rate-limit';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { badlyEncodedQuery, parseOrThrow, refuseUnsafeText } from './validation';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  /**
   * A Server-Sent Events stream: the schema of each event's JSON `data:` by `event:` name (each
   * registered as the component `ref`), documented as the media type's `itemSchema` (OpenAPI 3.2
   * sequential media types; readers of 3.1 see `schema` and ignore it).
   */
  sseEvents?: Array<{ event: string; ref: string; schema: z.ZodType }>;
}

/** `itemSchema` of an SSE stream: one alternative per event name, plus the bare `retry:` advice. */
function sseItemSchema(events: NonNullable<RouteResponse['sseEvents']>) {
  return {
    oneOf: [
      ...events.map((e) => ({
        type: 'object',
        required: ['event', 'id', 'data'],
        properties: {
          event: { const: e.event },
          id: { type: 'string', pattern: '^[0-9]+$', description: 'resume with Last-Event-ID' },
          data: { type: 'string', contentMediaType: 'application/json', contentSchema: { $ref: `#/components/schemas/${e.ref}` } },
        },
      })),
      { type: 'object', required: ['retry'], properties: { retry: { type: 'integer', minimum: 0 } } },
    ],
  };
}

export interface RouteContext<P, Q, B, H> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  headers: H;
  role: Role | undefined;
  /** On `customerScoped` routes called with the storefront role: the customer of the verified token. */
  customer: CustomerIdentity | undefined;
  log: Logger;
  requestId: string;
}

export interface RouteSpec<P, Q, B, H> {
  method: Method;
  /** OpenAPI-style path: `/v1/products/{idOrSku}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `public`, the roles allowed (admin always is), or `custom` when the handler authenticates (e.g. HMAC). */
  auth: 'public' | 'custom' | readonly Role[];
  /** With `auth: 'custom'`: the security scheme of api/openapi.ts the handler checks, and who holds it (`x-roles`). */
  customAuth?: { scheme: string; holder: string };
  /**
   * A customer-scoped call (contract v1.1 "Customers"): with the storefront role it must carry a
   * valid `X-Customer-Token` (else 401), whose customer lands in `ctx.customer` for the handler's
   * checks (api/customer-scope.ts); other roles act on any customer without one.
   */
  customerScoped?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  headers?: H;
  /** Error code for query validation failures (search uses `invalid_filter`). */
  queryErrorCode?: ErrorCode;
  responses: Record<number, RouteResponse>;
  /** Error codes this route can answer with, documented as problem+json. */
  errors?: ErrorCode[];
  /**
   * A larger JSON body limit than the app-wide 64 KB (bulk endpoints), e.g. `'16mb'`. Such a body is
   * read only after the caller is authenticated and authorized, so anonymous clients cannot make
   * the server buffer it.
   */
  bodyLimit?: string;
  handler: (ctx: RouteContext<Out<P>, Out<Q>, Out<B>, Out<H>>) => Promise<unknown> | unknown;
}

export type RouteRegistrar = <
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B, H>,
) => void;

function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** A set of (method, OpenAPI path) pairs, matched against request paths. */
class RoutePatterns {
  protected readonly routes: Array<{ method: string; pattern: RegExp }> = [];

  add(method: string, path: string): void {
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[A-Za-z0-9_]+\\?\}/g, '[^/]+')}/?$`);
    this.routes.push({ method: method.toUpperCase(), pattern });
  }

  matches(req: Request): boolean {
    return this.routes.some((r) => r.method === req.method && r.pattern.test(req.path));
  }
}

/**
 * Routes that parse their own (larger) JSON bodies; the app-wide parser skips them. Filled by the
 * registrar before the app serves its first request.
 */
export class LargeBodyRoutes extends RoutePatterns {}

/** Every route the registrar served, so a known path asked with another method is a 405 with `Allow`. */
export class RouteTable extends RoutePatterns {
  /** The methods `path` is served with (HEAD wherever GET is), empty for an unknown path. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.routes) {
      if (!r.pattern.test(path)) continue;
      methods.add(r.method);
      if (r.method === 'GET') methods.add('HEAD');
    }
    return [...methods];
  }

  /** Middleware placed after the router: a served path with an unserved method → 405 `method_not_allowed`. */
  methodNotAllowed(): RequestHandler {
    return (req, res, next) => {
      const allowed = this.allowed(req.path);
      if (!allowed.length || allowed.includes(req.method)) return next();
      res.setHeader('Allow', allowed.join(', '));
      next(new AppError('method_not_allowed', `${req.method} is not served on ${req.path}; allowed: ${allowed.join(', ')}`));
    };
  }
}

function openApiConfig(spec: RouteSpec<unknown, unknown, unknown, unknown>): RouteConfig {
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    // zod-to-openapi keeps a media type's other fields beside the generated `schema`.
    const item = r.sseEvents ? { itemSchema: sseItemSchema(r.sseEvents) } : {};
    responses[status] = r.schema
      ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema, ...item } } }
      : { description: r.description };
  }
  const codes = new Set<ErrorCode>(spec.errors ?? []);
  if (spec.params || spec.query || spec.body || spec.headers) codes.add(spec.queryErrorCode ?? 'invalid_request');
  if (Array.isArray(spec.auth)) {
    codes.add('unauthenticated');
    codes.add('forbidden');
  }
  codes.add('internal');
  if (rateLimitGroup(spec.method.toUpperCase(), spec.path)) codes.add('rate_limited'); // api/middleware/rate-limit.ts
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  for (const [status, list] of byStatus) {
    responses[String(status)] ??= {
      description: `Problem: ${list.join(', ')}`,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  const request: NonNullable<RouteConfig['request']> = {};
  // zod-to-openapi wants ZodObjects for params/query/headers; route schemas are objects by convention.
  if (spec.params) request.params = spec.params as NonNullable<RouteConfig['request']>['params'];
  if (spec.query) request.query = spec.query as NonNullable<RouteConfig['request']>['query'];
  if (spec.headers) request.headers = spec.headers as NonNullable<RouteConfig['request']>['headers'];
  if (spec.body) request.body = { content: { 'application/json': { schema: spec.body as z.ZodType } }, required: true };
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    ...operationAuth(spec),
    request,
    responses,
  };
}

/**
 * Who may call an operation, for readers of the document: `security` (the schemes of
 * api/openapi.ts) and `x-roles` (the API-key roles allowed, admin included; `public`; or the
 * holder of a custom credential). A customer-scoped operation needs the customer's token with the
 * storefront key (`x-customer-token`), not with the other roles.
 */
function operationAuth(spec: RouteSpec<unknown, unknown, unknown, unknown>): Record<string, unknown> {
  if (spec.auth === 'public') return { security: [], 'x-roles': ['public'] };
  if (spec.auth === 'custom') {
    if (!spec.customAuth) return { 'x-roles': ['custom'] };
    return { security: [{ [spec.customAuth.scheme]: [] }], 'x-roles': [spec.customAuth.holder] };
  }
  const roles = [...new Set([...spec.auth, 'admin'])];
  if (!spec.customerScoped) return { security: [{ apiKey: [] }], 'x-roles': roles };
  return {
    security: [{ apiKey: [], customerToken: [] }, { apiKey: [] }],
    'x-roles': roles,
    'x-customer-token': 'required with the storefront role (the customer acts on their own orders only); other roles act on any customer',
  };
}

export function createRouteRegistrar(
  router: Router,
  registry: OpenAPIRegistry,
  auth: ApiKeyAuthenticator,
  largeBodies?: LargeBodyRoutes,
  customerTokens?: CustomerTokenVerifier,
  table?: RouteTable,
): RouteRegistrar {
  return (spec) => {
    if (spec.customerScoped && !customerTokens) throw new Error(`${spec.path}: customerScoped needs a CustomerTokenVerifier`);
    for (const r of Object.values(spec.responses)) for (const e of r.sseEvents ?? []) registry.register(e.ref, e.schema);
    registry.registerPath(openApiConfig(spec as RouteSpec<unknown, unknown, unknown, unknown>));
    table?.add(spec.method, spec.path);
    const before: RequestHandler[] = [];
    if (spec.bodyLimit) {
      if (!largeBodies) throw new Error(`${spec.path}: bodyLimit needs the app's LargeBodyRoutes`);
      largeBodies.add(spec.method, spec.path);
      before.push((req, _res, next) => {
        try {
          if (Array.isArray(spec.auth)) auth.authorize(req.headers.authorization, spec.auth);
          next();
        } catch (err) {
          next(err);
        }
      });
      before.push(express.json({ limit: spec.bodyLimit, strict: true }));
    }
    router[spec.method](expressPath(spec.path), ...before, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const role = Array.isArray(spec.auth) ? auth.authorize(req.headers.authorization, spec.auth) : undefined;
        const encoding = badlyEncodedQuery(req.originalUrl);
        if (encoding.length) throw new AppError('invalid_request', 'Invalid query: bad percent-encoding', { errors: encoding });
        const headers = spec.headers ? parseOrThrow(spec.headers, req.headers, 'headers') : undefined;
        refuseUnsafeText({ params: req.params, query: req.query, headers, body: spec.body ? req.body : undefined });
        // The customer's token after the input checks: hostile text is a 400 whoever sends it.
        const customer =
          spec.customerScoped && role === 'storefront' && customerTokens
            ? await customerTokens.verify(req.headers[CUSTOMER_TOKEN_HEADER])
            : undefined;
        const params = spec.params ? parseOrThrow(spec.params, req.params, 'params') : undefined;
        const query = spec.query
          ? parseOrThrow(spec.query, req.query, 'query', spec.queryErrorCode ?? 'invalid_request')
          : rejectAnyQuery(req);
        const body = spec.body ? parseOrThrow(spec.body, req.body, 'body') : undefined;
        const ctx = {
          req,
          res,
          params,
          query,
          body,
          headers,
          role,
          customer,
          log: res.locals.log as Logger,
          requestId: String(res.locals.requestId),
        };
        // The generic types are enforced at the call site of the registrar; here they are erased.
        const result = await (spec.handler as (c: typeof ctx) => unknown)(ctx);
        if (result !== undefined && !res.headersSent) res.json(result);
      } catch (err) {
        next(err);
      }
    });
  };
}

function rejectAnyQuery(req: Request): undefined {
  const keys = Object.keys(req.query ?? {}).slice(0, MAX_FIELD_ERRORS);
  if (keys.length) {
    throw new AppError('invalid_request', `Unknown query parameter: ${keys.slice(0, 10).join(', ')}`, {
      errors: keys.map((k) => ({ path: k.slice(0, 200), message: 'unknown query parameter' })),
    });
  }
  return undefined;
}
