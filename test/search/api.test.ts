/**
 * GET /v1/search against a real Meilisearch (the run's shared one, an index prefix of this file)
 * with products written to Postgres by the test and indexed directly (the sync and the reindex
 * have their own tests): typos, filters, facets against Postgres counts, sorting, paging,
 * validation, and values shaped like filter injections.
 */
import { sql } from 'kysely';
import { createMeili, type Meilisearch, productIndexes } from '../../search/client';
import { startTestApi, type TestApi } from '../support/app';
import { uniqueId } from '../support/config';
import { getJson } from '../support/http';
import { type FixtureProduct, type InsertedProduct, indexProducts, insertProducts } from '../support/search-fixtures';

const T = uniqueId('S');
const PHONES = `${T} phones`;
const LAPTOPS = `${T} laptops`;
const OTHER = `${T} misc`;
const APPLE = `${T} Apple`;
const ONEILL = `O'Neill "Pro" ${T}`;
const AND_BRAND = `Black AND Decker ${T}`;
const BACKSLASH = `Back\\slash ${T}`;
const day = (n: number) => new Date(Date.UTC(2024, 0, n));

const FIXTURES: FixtureProduct[] = [
  {
    sku: `${T}-1`,
    name: 'Apple iPhone 15 Pro',
    brand: APPLE,
    category: PHONES,
    price: 99_900,
    onHand: 50,
    createdAt: day(1),
    image: 'https://img.test/1.jpg',
  },
  { sku: `${T}-2`, name: 'Apple iPhone 15', brand: APPLE, category: PHONES, price: 79_900, onHand: 3, createdAt: day(2) },
  { sku: `${T}-3`, name: 'Apple MacBook Air', brand: APPLE, category: LAPTOPS, price: 119_900, onHand: 0, createdAt: day(3) },
  { sku: `${T}-4`, name: 'Surfboard Wetsuit', brand: ONEILL, category: OTHER, price: 25_000, onHand: 10, createdAt: day(4) },
  { sku: `${T}-5`, name: 'Cordless Drill', brand: AND_BRAND, category: OTHER, price: 8_999, onHand: 10, reserved: 10, createdAt: day(5) },
  { sku: `${T}-6`, name: 'Rugged Phone X', brand: BACKSLASH, category: PHONES, price: 19_999, onHand: 100, createdAt: day(6) },
  {
    sku: `${T}-7`,
    name: 'Budget Laptop 14',
    brand: BACKSLASH,
    category: LAPTOPS,
    price: 39_999,
    onHand: 7,
    reserved: 2,
    createdAt: day(7),
  },
  { sku: `${T}-8`, name: 'Gaming Laptop 17', brand: AND_BRAND, category: LAPTOPS, price: 189_999, onHand: 9, createdAt: day(8) },
];

let api: TestApi;
// The API holds only the search-only key; building indexes takes the master key (as the worker does).
let admin: Meilisearch;
let products: InsertedProduct[];
const prefix = `${process.env.MEILI_INDEX_PREFIX}api_`;

beforeAll(async () => {
  api = await startTestApi({ MEILI_INDEX_PREFIX: prefix });
  admin = createMeili({ url: api.deps.config.MEILI_URL, apiKey: api.deps.config.MEILI_MASTER_KEY, timeoutMs: 5_000 });
  products = await insertProducts(api.deps.db, FIXTURES);
  await indexProducts(
    api.deps.db,
    admin,
    productIndexes(prefix).live,
    products.map((p) => p.id),
    api.deps.config.LOW_STOCK_THRESHOLD,
  );
});
afterAll(async () => {
  await admin?.deleteIndexIfExists(productIndexes(prefix).live);
  await api?.close();
});

function search(params: Array<[string, string | number | boolean]>) {
  const qs = new URLSearchParams(params.map(([k, v]): [string, string] => [k, String(v)]));
  return getJson(`${api.url}/v1/search?${qs}`);
}
const mine = (...cats: string[]): Array<[string, string]> => (cats.length ? cats : [PHONES, LAPTOPS, OTHER]).map((c) => ['category', c]);
const skus = (body: { hits: Array<{ sku: string }> }) => body.hits.map((h) => h.sku).sort();

test('a typo still finds the product: "iphnoe" → iPhones', async () => {
  const { status, body } = await search([['q', 'iphnoe'], ...mine()]);
  expect(status).toBe(200);
  expect(skus(body)).toEqual([`${T}-1`, `${T}-2`]);
});

test('hits are summaries: exactly the contract fields, money in minor units, availability status', async () => {
  const { body } = await search([['q', 'iPhone 15 Pro'], ...mine(PHONES)]);
  const hit = body.hits.find((h: { sku: string }) => h.sku === `${T}-1`);
  expect(hit).toEqual({
    id: products[0]?.id,
    sku: `${T}-1`,
    name: 'Apple iPhone 15 Pro',
    brand: APPLE,
    category: PHONES,
    price: { amount: 99_900, currency: 'USD' },
    thumbnail: 'https://img.test/1.jpg',
    availability: { status: 'in_stock' },
  });
  expect(body.hits[0].sku).toBe(`${T}-1`); // the exact name ranks first
  expect(Object.keys(body).sort()).toEqual(['facets', 'hits', 'limit', 'offset', 'priceRange', 'processingTimeMs', 'total']);
});

test('availability status follows on hand − reserved and the low-stock threshold', async () => {
  const { body } = await search(mine());
  const status = Object.fromEntries(
    body.hits.map((h: { sku: string; availability: { status: string } }) => [h.sku, h.availability.status]),
  );
  expect(status[`${T}-2`]).toBe('low_stock'); // 3 available
  expect(status[`${T}-3`]).toBe('out_of_stock'); // 0 on hand
  expect(status[`${T}-5`]).toBe('out_of_stock'); // all reserved
  expect(status[`${T}-7`]).toBe('low_stock'); // 7 − 2 = 5 = threshold
  expect(status[`${T}-8`]).toBe('in_stock');
});

test('filters combine: categories OR, brands OR, AND across, price bounds inclusive, inStock', async () => {
  const { status, body } = await search([
    ...mine(PHONES, LAPTOPS),
    ['brand', APPLE],
    ['brand', BACKSLASH],
    ['minPrice', 19_999],
    ['maxPrice', 119_900],
    ['inStock', 'true'],
  ]);
  expect(status).toBe(200);
  // 3 is out of stock; 8 is AND_BRAND; every other phone/laptop of those brands is within the prices.
  expect(skus(body)).toEqual([`${T}-1`, `${T}-2`, `${T}-6`, `${T}-7`].sort());
  expect(body.total).toBe(4);
  expect(body.priceRange).toEqual({ min: 19_999, max: 99_900 });

  const out = await search([...mine(), ['inStock', 'false']]);
  expect(skus(out.body)).toEqual([`${T}-3`, `${T}-5`]);
});

test('facet counts equal a Postgres count for the same filter', async () => {
  const { body } = await search([...mine(PHONES, LAPTOPS, OTHER), ['minPrice', 10_000], ['inStock', 'true']]);
  const rows = await sql<{ brand: string; category: string; n: number }>`
    SELECT p.brand, p.category, COUNT(*)::int AS n
    FROM products p
    JOIN (SELECT sku, SUM(on_hand - reserved) AS available FROM inventory_levels GROUP BY sku) s ON s.sku = p.sku
    WHERE p.deleted_at IS NULL AND p.category IN (${PHONES}, ${LAPTOPS}, ${OTHER})
      AND p.price_amount >= 10000 AND s.available > 0
    GROUP BY p.brand, p.category`.execute(api.deps.db);
  const count = (key: 'brand' | 'category') => {
    const out: Record<string, number> = {};
    for (const r of rows.rows) out[r[key]] = (out[r[key]] ?? 0) + r.n;
    return out;
  };
  expect(body.facets.brand).toEqual(count('brand'));
  expect(body.facets.category).toEqual(count('category'));
  expect(body.total).toBe(rows.rows.reduce((s, r) => s + r.n, 0));
});

test('sorting: price ascending, price descending, newest first', async () => {
  const asc = await search([...mine(), ['sort', 'price:asc']]);
  const prices = asc.body.hits.map((h: { price: { amount: number } }) => h.price.amount);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  expect(prices).toHaveLength(FIXTURES.length);

  const desc = await search([...mine(), ['sort', 'price:desc']]);
  expect(desc.body.hits.map((h: { price: { amount: number } }) => h.price.amount)).toEqual([...prices].reverse());

  const newest = await search([...mine(), ['sort', 'newest']]);
  expect(newest.body.hits.map((h: { sku: string }) => h.sku)).toEqual(FIXTURES.map((f) => f.sku).reverse());

  const textSorted = await search([['q', 'laptop'], ...mine(), ['sort', 'price:asc']]);
  // Every product matching the words (name or category "laptops"), in price order.
  expect(textSorted.body.hits.map((h: { sku: string }) => h.sku)).toEqual([`${T}-7`, `${T}-3`, `${T}-8`]);
});

test('limit and offset page through the same order; total counts every match', async () => {
  const all = await search([...mine(), ['sort', 'price:asc']]);
  const page2 = await search([...mine(), ['sort', 'price:asc'], ['limit', 3], ['offset', 3]]);
  expect(page2.body.limit).toBe(3);
  expect(page2.body.offset).toBe(3);
  expect(page2.body.total).toBe(FIXTURES.length);
  expect(page2.body.hits.map((h: { sku: string }) => h.sku)).toEqual(all.body.hits.slice(3, 6).map((h: { sku: string }) => h.sku));
});

test('no match → 200 with empty hits, zero total, empty facets and a null price range', async () => {
  const { status, body } = await search([['q', 'zzqxjvwk'], ...mine()]);
  expect(status).toBe(200);
  expect(body).toMatchObject({ hits: [], total: 0, facets: { category: {}, brand: {} }, priceRange: { min: null, max: null } });
});

test.each([
  [
    'minPrice greater than maxPrice',
    [
      ['minPrice', 500],
      ['maxPrice', 100],
    ],
    'minPrice',
  ],
  ['negative minPrice', [['minPrice', -1]], 'minPrice'],
  ['negative maxPrice', [['maxPrice', -5]], 'maxPrice'],
  ['decimal price', [['minPrice', '10.5']], 'minPrice'],
  ['non-numeric price', [['maxPrice', 'cheap']], 'maxPrice'],
  ['empty price', [['minPrice', '']], 'minPrice'],
  ['unknown sort', [['sort', 'popularity']], 'sort'],
  ['limit over 100', [['limit', 101]], 'limit'],
  ['limit zero', [['limit', 0]], 'limit'],
  ['negative offset', [['offset', -1]], 'offset'],
  [
    'offset past the window',
    [
      ['offset', 9_950],
      ['limit', 100],
    ],
    'offset',
  ],
  ['inStock not a boolean', [['inStock', 'yes']], 'inStock'],
  ['empty brand', [['brand', '']], 'brand'],
  [
    'repeated q',
    [
      ['q', 'a'],
      ['q', 'b'],
    ],
    'q',
  ],
  ['unknown parameter', [['color', 'red']], 'color'],
] as Array<[string, Array<[string, string | number]>, string]>)(
  '%s → 400 invalid_filter naming the parameter',
  async (_name, params, path) => {
    const { status, headers, body } = await search(params);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(body.code).toBe('invalid_filter');
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(body.requestId).toEqual(expect.any(String));
  },
);

test('every invalid parameter is listed at once', async () => {
  const { status, body } = await search([
    ['minPrice', -1],
    ['sort', 'x'],
    ['limit', 1000],
    ['foo', 1],
  ]);
  expect(status).toBe(400);
  expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['foo', 'limit', 'minPrice', 'sort']);
});

describe('filter values shaped like injections are matched literally', () => {
  test('quotes and apostrophes: O\'Neill "Pro"', async () => {
    const { status, body } = await search([['brand', ONEILL]]);
    expect(status).toBe(200);
    expect(skus(body)).toEqual([`${T}-4`]);
    expect(body.facets.brand).toEqual({ [ONEILL]: 1 });
  });

  test('a brand containing " AND " is one value, not two clauses', async () => {
    const { body } = await search([['brand', AND_BRAND]]);
    expect(skus(body)).toEqual([`${T}-5`, `${T}-8`]);
  });

  test('a backslash in the value', async () => {
    const { body } = await search([['brand', BACKSLASH]]);
    expect(skus(body)).toEqual([`${T}-6`, `${T}-7`]);
  });

  test.each([
    [`x" OR category != "nothing`],
    [`${APPLE}" OR brand EXISTS OR brand = "`],
    [`\\" OR price > 0 OR brand = \\"`],
    ['") OR (price > 0'],
    [`${APPLE}\\`],
  ])('%p matches nothing and breaks nothing', async (value) => {
    const { status, body } = await search([['brand', value], ...mine()]);
    expect(status).toBe(200);
    expect(body.hits).toEqual([]);
    expect(body.total).toBe(0);
  });
});

test('no index yet (first start, before the build) → 503 dependency_unavailable with Retry-After', async () => {
  const other = await startTestApi({ MEILI_INDEX_PREFIX: `${prefix}missing_` });
  try {
    const { status, headers, body } = await getJson(`${other.url}/v1/search?q=phone`);
    expect(status).toBe(503);
    expect(body.code).toBe('dependency_unavailable');
    expect(headers.get('retry-after')).toEqual(expect.any(String));
  } finally {
    await other.close();
  }
});

test('an index without our settings (filters not allowed) → 503, not a 500', async () => {
  const bare = `${prefix}bare_`;
  await admin.createIndex(productIndexes(bare).live, { primaryKey: 'id' }).waitTask();
  const other = await startTestApi({ MEILI_INDEX_PREFIX: bare });
  try {
    const { status, body } = await getJson(`${other.url}/v1/search?category=x`);
    expect(status).toBe(503);
    expect(body.code).toBe('dependency_unavailable');
  } finally {
    await other.close();
    await admin.deleteIndex(productIndexes(bare).live).waitTask();
  }
});

test('the search route is documented in /openapi.json with its parameters', async () => {
  const { body } = await getJson(`${api.url}/openapi.json`);
  const op = body.paths['/v1/search'].get;
  expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
    ['brand', 'category', 'inStock', 'limit', 'maxPrice', 'minPrice', 'offset', 'q', 'sort'].sort(),
  );
  expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '503']));
});
