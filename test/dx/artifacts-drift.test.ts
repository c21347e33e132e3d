/**
 * The committed storefront client types and Postman collection are what the served OpenAPI
 * document generates today. A route or schema change without `npm run client:generate` fails here.
 */
import { readFileSync } from 'node:fs';
import { ARTIFACTS, collectionJson, collectionOperations, postmanCollection, storefrontTypes } from '../../stack/client-artifacts';
import { startTestApi, type TestApi } from '../support/app';

let api: TestApi;
let document: Record<string, unknown>;

beforeAll(async () => {
  api = await startTestApi();
  document = (await (await fetch(`${api.url}/openapi.json`)).json()) as Record<string, unknown>;
});
afterAll(() => api?.close());

test('clients/storefront/schema.d.ts matches the served document (run `npm run client:generate`)', async () => {
  expect(await storefrontTypes(document)).toBe(readFileSync(ARTIFACTS.types, 'utf8'));
});

test('docs/cathay.postman_collection.json matches the served document (run `npm run postman`)', async () => {
  const collection = await postmanCollection(document);
  expect(collectionJson(collection)).toBe(readFileSync(ARTIFACTS.postman, 'utf8'));
  const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
  // Every operation of the document is a request of the collection, and nothing else is.
  expect([...collectionOperations(collection.item)].sort()).toEqual(operations.sort());
});

test('the collection authenticates with the environment key and mints the customer token', async () => {
  const collection = JSON.parse(readFileSync(ARTIFACTS.postman, 'utf8')) as { auth: unknown; event: { script: { exec: string[] } }[] };
  expect(collection.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{apiKey}}', type: 'string' }] });
  expect(collection.event[0]?.script.exec.join('\n')).toContain("pm.request.headers.upsert({ key: 'X-Customer-Token'");
  const environment = JSON.parse(readFileSync('docs/cathay.postman_environment.json', 'utf8')) as {
    values: { key: string; value: string }[];
  };
  expect(Object.fromEntries(environment.values.map((v) => [v.key, v.value]))).toMatchObject({
    baseUrl: 'http://127.0.0.1:3000',
    apiKey: 'dev-storefront-key',
    customerTokenSecret: 'dev-customer-token-secret',
  });
});
