/**
 * The OpenAPI document says who may call what (contract v1.1): roles per operation as `x-roles`,
 * the API key, the customer token and the carrier webhook signature as security schemes, and the
 * order event stream's events each with a schema (`itemSchema`, OpenAPI 3.2 sequential media).
 */
import { startTestApi, type TestApi } from '../support/app';
import { getJson, type Json } from '../support/http';

let api: TestApi;
let doc: Json;
beforeAll(async () => {
  api = await startTestApi();
  doc = (await getJson(`${api.url}/openapi.json`)).body;
});
afterAll(async () => {
  await api?.close();
});

const operations = (): Array<{ key: string; op: Json }> =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );

test('three security schemes: API key (bearer), customer token, carrier signature', () => {
  const schemes = doc.components.securitySchemes;
  expect(schemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  expect(schemes.customerToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Customer-Token' });
  expect(schemes.carrierSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Carrier-Signature' });
});

test('every operation lists its roles in x-roles, consistent with its security', () => {
  const roles = new Set(['public', 'storefront', 'support', 'ops', 'admin', 'carrier']);
  for (const { key, op } of operations()) {
    const xRoles: string[] = op['x-roles'];
    expect({ key, hasRoles: Array.isArray(xRoles) && xRoles.length > 0 }).toEqual({ key, hasRoles: true });
    for (const r of xRoles) expect({ key, role: r, known: roles.has(r) }).toEqual({ key, role: r, known: true });
    if (xRoles.includes('public')) expect({ key, security: op.security }).toEqual({ key, security: [] });
    else if (xRoles.includes('carrier')) expect({ key, security: op.security }).toEqual({ key, security: [{ carrierSignature: [] }] });
    else
      expect({ key, admin: xRoles.includes('admin'), apiKey: op.security.every((s: Json) => 'apiKey' in s) }).toEqual({
        key,
        admin: true,
        apiKey: true,
      });
  }
  const byKey = Object.fromEntries(operations().map(({ key, op }) => [key, op]));
  expect(byKey['GET /v1/products/{idOrSku}']['x-roles']).toEqual(['public']);
  expect(byKey['GET /metrics']['x-roles']).toEqual(['ops', 'admin']);
  expect(byKey['POST /v1/orders']['x-roles']).toEqual(['storefront', 'admin']);
  expect(byKey['POST /v1/webhooks/carriers/{carrier}']['x-roles']).toEqual(['carrier']);
});

test('customer-scoped operations require the customer token with the storefront key', () => {
  const scoped = operations()
    .filter(({ op }) => op.security?.some((s: Json) => 'customerToken' in s))
    .map(({ key }) => key)
    .sort();
  expect(scoped).toEqual(
    expect.arrayContaining([
      'GET /v1/customers/{customerId}/orders',
      'GET /v1/orders/{id}',
      'GET /v1/orders/{id}/events',
      'POST /v1/orders',
      'POST /v1/orders/{id}/cancel',
    ]),
  );
  const get = doc.paths['/v1/orders/{id}'].get;
  expect(get.security).toEqual([{ apiKey: [], customerToken: [] }, { apiKey: [] }]);
  expect(get['x-customer-token']).toEqual(expect.stringContaining('storefront'));
  expect(get.responses['404']).toBeDefined();
});

test('the order event stream documents each event: itemSchema with a data schema per event name', () => {
  const media = doc.paths['/v1/orders/{id}/events'].get.responses['200'].content['text/event-stream'];
  const alternatives: Json[] = media.itemSchema.oneOf;
  const byEvent = Object.fromEntries(
    alternatives.filter((a) => a.properties.event).map((a) => [a.properties.event.const, a.properties.data.contentSchema.$ref]),
  );
  expect(byEvent).toEqual({ status: '#/components/schemas/OrderStatusEvent', tracking: '#/components/schemas/OrderTrackingEvent' });
  for (const ref of Object.values(byEvent) as string[]) {
    const schema = doc.components.schemas[ref.split('/').pop() as string];
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'orderId', 'type', 'status', 'at']));
  }
  expect(doc.components.schemas.OrderStatusEvent.properties.type).toMatchObject({ enum: ['status'] });
  expect(doc.components.schemas.OrderTrackingEvent.properties.status.enum).toContain('out_for_delivery');
  expect(alternatives.some((a) => a.required?.includes('retry'))).toBe(true);
});
