import { createHash } from 'node:crypto';
import path from 'node:path';
import { type CollectionResult, convertV2 } from 'openapi-to-postmanv2';

/**
 * What is generated from the OpenAPI document and committed: the storefront client's types and
 * the Postman collection. Generation is deterministic (the same document gives the same bytes),
 * so a test can regenerate from the served document and compare with what is committed.
 */
export const ROOT = path.resolve(__dirname, '..');
export const ARTIFACTS = {
  types: path.join(ROOT, 'clients/storefront/schema.d.ts'),
  postman: path.join(ROOT, 'docs/cathay.postman_collection.json'),
} as const;

const HEADER = `/**
 * Generated from the API's /openapi.json by \`npm run client:generate\` (openapi-typescript).
 * Do not edit: change the zod schemas and routes, then regenerate; a test fails on drift.
 */
`;

/** The `paths`/`components` types openapi-fetch reads. */
export async function storefrontTypes(document: Record<string, unknown>): Promise<string> {
  // openapi-typescript 6 (7 needs TypeScript 5's compiler API; this tree has the native TypeScript 7).
  // Its package declares types for `import` only, hence the dynamic import.
  const { default: openapiTS } = await import('openapi-typescript');
  const body = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    commentHeader: HEADER,
    silent: true,
    alphabetize: true,
  });
  return body.endsWith('\n') ? body : `${body}\n`;
}

type PostmanItem = { id?: string; name?: string; item?: PostmanItem[]; response?: PostmanItem[]; [k: string]: unknown };
export interface PostmanCollection {
  info: Record<string, unknown>;
  item: PostmanItem[];
  [k: string]: unknown;
}

/** Stable ids instead of the converter's random UUIDs: a hash of the item's place in the tree. */
function stableIds(items: PostmanItem[] | undefined, trail: string): void {
  for (const [i, item] of (items ?? []).entries()) {
    const here = `${trail}/${i}:${item.name ?? ''}`;
    if ('id' in item) item.id = createHash('sha1').update(here).digest('hex').slice(0, 24);
    stableIds(item.item, here);
    stableIds(item.response, `${here}/response`);
  }
}

/**
 * Mints the dev customer token in Postman's sandbox (CryptoJS is built in) when the environment's
 * `customerToken` is empty, and sends it as X-Customer-Token: HS256 over `{ sub, exp: now + 1 h }`.
 */
const PRE_REQUEST = [
  "const b64 = (w) => CryptoJS.enc.Base64.stringify(w).replace(/=+$/, '').replace(/\\+/g, '-').replace(/\\//g, '_');",
  "let token = pm.environment.get('customerToken');",
  "const secret = pm.environment.get('customerTokenSecret');",
  'if (!token && secret) {',
  "  const head = b64(CryptoJS.enc.Utf8.parse(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));",
  '  const now = Math.floor(Date.now() / 1000);',
  "  const claims = b64(CryptoJS.enc.Utf8.parse(JSON.stringify({ sub: pm.environment.get('customerId'), iat: now, exp: now + 3600 })));",
  "  token = head + '.' + claims + '.' + b64(CryptoJS.HmacSHA256(head + '.' + claims, secret));",
  '}',
  "if (token) pm.request.headers.upsert({ key: 'X-Customer-Token', value: token });",
];

/** mulberry32: a small seeded PRNG, so the converter's fake example values are the same each run. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The converter fakes example values where a schema has none with its bundled json-schema-faker,
 * whose `random` option is Math.random captured at load: it is given a seeded generator for the
 * conversion. The module is a singleton, so this reaches the converter's own copy.
 */
async function withSeededRandom<T>(work: () => Promise<T>): Promise<T> {
  const faker = require('openapi-to-postmanv2/assets/json-schema-faker.js') as { option(o: { random: () => number }): void };
  faker.option({ random: seededRandom(42) });
  try {
    return await work();
  } finally {
    faker.option({ random: Math.random });
  }
}

const EXAMPLE_INSTANT = '2026-01-01T12:00:00.000Z';

export async function postmanCollection(document: Record<string, unknown>): Promise<PostmanCollection> {
  const result = await withSeededRandom(
    () =>
      new Promise<CollectionResult>((resolve, reject) =>
        convertV2(
          { type: 'json', data: document },
          { folderStrategy: 'Tags', parametersResolution: 'Example', requestNameSource: 'Fallback', indentCharacter: 'Space' },
          (err, out) => (err || !out ? reject(new Error(err?.message ?? 'no result')) : resolve(out)),
        ),
      ),
  );
  const output = result.output?.[0]?.data;
  if (!result.result || !output) throw new Error(`openapi-to-postmanv2 refused the document: ${result.reason ?? 'no output'}`);
  // Faked date-times are "now" minus a random span: one fixed instant keeps the bytes stable.
  const collection = JSON.parse(
    JSON.stringify(output).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, EXAMPLE_INSTANT),
  ) as PostmanCollection;
  collection.info = { ...collection.info, _postman_id: 'cathay-shop-api' };
  stableIds(collection.item, '');
  collection.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{apiKey}}', type: 'string' }] };
  collection.variable = [{ key: 'baseUrl', value: 'http://127.0.0.1:3000', type: 'string' }];
  collection.event = [{ listen: 'prerequest', script: { type: 'text/javascript', exec: PRE_REQUEST } }];
  return collection;
}

export function collectionJson(collection: PostmanCollection): string {
  return `${JSON.stringify(collection, null, 2)}\n`;
}

/** The operations a collection holds, as `METHOD /path` (an operation with two tags sits in two folders). */
export function collectionOperations(items: PostmanItem[], into = new Set<string>()): Set<string> {
  for (const item of items) {
    if (item.item) collectionOperations(item.item, into);
    else {
      const request = item.request as { method: string; url: { path?: string[] } };
      into.add(`${request.method} /${(request.url.path ?? []).join('/').replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return into;
}
