/** Cross-cutting API behaviour: problem+json, request ids, auth, strict validation, metrics, OpenAPI. */
import express from 'express';
import { ApiKeyAuthenticator, parseApiKeys } from '../../api/auth';
import { errorHandler } from '../../api/middleware/errors';
import { requestContext } from '../../api/middleware/request-context';
import { createOpenApiRegistry } from '../../api/openapi';
import { createRouteRegistrar } from '../../api/route';
import { intParam, repeatable, z } from '../../domain/schemas/common';
import { createLogger } from '../../observability/logger';
import { authHeader, startTestApi, type TestApi } from '../support/app';
import { json } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.close());

test('unknown route → 404 problem+json with a request id', async () => {
  const res = await fetch(`${api.url}/v1/nothing-here`);
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await json(res);
  expect(body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
});

test('X-Request-Id is echoed when sane, replaced when not', async () => {
  const ok = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
  expect(ok.headers.get('x-request-id')).toBe('abc-123');
  const bad = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'has spaces and <html>' } });
  expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test('an unknown query parameter is a 400 naming it', async () => {
  const res = await fetch(`${api.url}/healthz?verbose=1`);
  expect(res.status).toBe(400);
  const body = await json(res);
  expect(body.code).toBe('invalid_request');
  expect(body.errors).toEqual([{ path: 'verbose', message: 'unknown query parameter' }]);
});

test('/metrics exposes the request histogram by route template and status, to the ops role only', async () => {
  await fetch(`${api.url}/healthz`);
  const res = await fetch(`${api.url}/metrics`, { headers: authHeader('ops') });
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
  // Internals are not public (contract v1.1): no key → 401, a storefront or support key → 403.
  const anonymous = await fetch(`${api.url}/metrics`);
  expect(anonymous.status).toBe(401);
  expect(await anonymous.text()).not.toContain('http_request_duration_seconds');
  for (const role of ['storefront', 'support'] as const) {
    expect((await fetch(`${api.url}/metrics`, { headers: authHeader(role) })).status).toBe(403);
  }
  expect((await fetch(`${api.url}/metrics`, { headers: authHeader('admin') })).status).toBe(200);
});

test('/openapi.json is an OpenAPI 3.1 document with the system routes and the Problem schema', async () => {
  const doc = await await json(await fetch(`${api.url}/openapi.json`));
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/openapi.json']));
  expect(doc.components.schemas.Problem.required).toEqual(
    expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'requestId']),
  );
});

describe('route registrar (validation and auth on a scratch app)', () => {
  const registry = createOpenApiRegistry();
  const router = express.Router();
  const route = createRouteRegistrar(router, registry, new ApiKeyAuthenticator(parseApiKeys('storefront:sf-key-123,admin:admin-key-1')));
  route({
    method: 'post',
    path: '/things/{id}',
    summary: 'scratch',
    tags: ['test'],
    auth: ['storefront'],
    params: z.strictObject({ id: z.string().regex(/^\d+$/) }),
    query: z.strictObject({ n: intParam({ min: 0 }).optional(), tag: repeatable(z.string()).optional() }),
    body: z.strictObject({ name: z.string().min(1), items: z.array(z.strictObject({ qty: z.number().int().positive() })) }),
    responses: { 201: { description: 'created' } },
    handler: ({ res, params, query, body, role }) => {
      res.status(201);
      return { id: params.id, n: query.n ?? null, tags: query.tag ?? [], name: body.name, role };
    },
  });
  const app = express();
  app.use(requestContext(createLogger({ level: 'silent' })));
  app.use(express.json());
  app.use(router);
  app.use(errorHandler(createLogger({ level: 'silent' })));
  let url = '';
  let server: ReturnType<typeof app.listen>;
  beforeAll(async () => {
    await new Promise<void>((r) => {
      server = app.listen(0, '127.0.0.1', () => r());
    });
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string, body: unknown, key?: string, raw?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: raw ?? JSON.stringify(body),
    });

  test('valid request passes with typed, coerced values; repeated params become arrays', async () => {
    const res = await post('/things/7?n=3&tag=a&tag=b', { name: 'x', items: [{ qty: 1 }] }, 'sf-key-123');
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({ id: '7', n: 3, tags: ['a', 'b'], name: 'x', role: 'storefront' });
  });

  test('admin may do everything', async () => {
    const res = await post('/things/7', { name: 'x', items: [] }, 'admin-key-1');
    expect(res.status).toBe(201);
  });

  test('missing key → 401, unknown key → 401, malformed header → 401', async () => {
    for (const key of [undefined, 'nope-nope-nope']) {
      const res = await post('/things/7', { name: 'x', items: [] }, key);
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('unauthenticated');
    }
  });

  test('every offending path is listed: unknown fields, wrong types, nested array items, bad query', async () => {
    const res = await post('/things/7?n=1.5', { name: '', extra: true, items: [{ qty: 0 }, { qty: 'x' }] }, 'sf-key-123');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.code).toBe('invalid_request');
    // query is checked first and fails alone
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(['n']);
    const res2 = await post('/things/7', { name: '', extra: true, items: [{ qty: 0 }, { qty: 'x' }] }, 'sf-key-123');
    const paths = (await json(res2)).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['extra', 'items[0].qty', 'items[1].qty', 'name']);
  });

  test('malformed JSON → 400 invalid_request, not a 500', async () => {
    const res = await post('/things/7', undefined, 'sf-key-123', '{"name": ');
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('invalid_request');
  });

  test('the registrar documents the route with its error responses', () => {
    const { OpenApiGeneratorV31 } = require('@asteasolutions/zod-to-openapi');
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const op = doc.paths['/things/{id}'].post;
    expect(Object.keys(op.responses).sort()).toEqual(['201', '400', '401', '403', '429', '500']);
    expect(op.requestBody.content['application/json'].schema.properties.items.type).toBe('array');
  });
});

describe('API keys', () => {
  test('roles are parsed, unknown roles and short keys are rejected at start-up', () => {
    expect(parseApiKeys('ops:12345678').map((e) => e.role)).toEqual(['ops']);
    expect(() => parseApiKeys('boss:12345678')).toThrow(/unknown role/);
    expect(() => parseApiKeys('ops:short')).toThrow(/shorter than 8/);
  });
  test('wrong role → 403 forbidden', () => {
    const auth = new ApiKeyAuthenticator(parseApiKeys('storefront:sf-key-123,ops:ops-key-12'));
    expect(() => auth.authorize('Bearer ops-key-12', ['storefront'])).toThrow(expect.objectContaining({ code: 'forbidden', status: 403 }));
    expect(auth.authorize('Bearer sf-key-123', ['storefront'])).toBe('storefront');
  });
});
