/**
 * Every filter shape of GET /v1/products is served by an index: the exact query the API runs is
 * EXPLAINed against a seeded catalog of its own (30k products from db/seed, ANALYZEd so the
 * planner's choices are the realistic ones) and no plan may sequentially scan `products` (or
 * `inventory_levels`, probed per row for availability).
 */
import { CompiledQuery, sql } from 'kysely';
import { createDb, type Db } from '../../db/connection';
import { dropDatabase, ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { type ListPage, listProductSummaries, type ProductListFilter, productListQuery } from '../../db/queries/products';
import { seedCatalog } from '../../db/seed';

const url = `${process.env.DATABASE_URL}_explain`;
const COUNT = 30_000;
let db: Db;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

async function plan(filter: ProductListFilter, page: Partial<ListPage> = {}): Promise<PlanNode[]> {
  const q = productListQuery(db, filter, { limit: 20, lowStockThreshold: 5, ...page }).compile();
  const res = await db.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
    CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${q.sql}`, [...q.parameters]),
  );
  return walk(res.rows[0]!['QUERY PLAN'][0]!.Plan);
}

let common: { categories: string[]; brands: string[]; rareCategory: string; rareBrand: string; midId: string };

beforeAll(async () => {
  await ensureDatabase(url);
  db = createDb({ connectionString: url, max: 3 });
  await migrateToLatest(db);
  await seedCatalog(db, { count: COUNT, batchSize: 1_000, concurrency: 2 }); // ANALYZEs when done
  await sql`ANALYZE products, inventory_levels`.execute(db);
  const cats = await sql<{ category: string }>`SELECT category FROM products GROUP BY 1 ORDER BY count(*) DESC, 1`.execute(db);
  const brands = await sql<{ brand: string }>`SELECT brand FROM products GROUP BY 1 ORDER BY count(*) DESC, 1`.execute(db);
  const mid = await sql<{ id: string }>`SELECT id FROM products ORDER BY id OFFSET ${COUNT / 2} LIMIT 1`.execute(db);
  common = {
    categories: cats.rows.map((r) => r.category),
    brands: brands.rows.map((r) => r.brand),
    rareCategory: cats.rows.at(-1)!.category,
    rareBrand: brands.rows.at(-1)!.brand,
    midId: mid.rows[0]!.id,
  };
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await dropDatabase(url);
});

type Shape = [string, () => ProductListFilter];
const shapes: Shape[] = [
  ['no filter', () => ({})],
  ['most common category', () => ({ categories: [common.categories[0]!] })],
  ['rarest category', () => ({ categories: [common.rareCategory] })],
  ['three categories', () => ({ categories: common.categories.slice(0, 3) })],
  ['most common brand', () => ({ brands: [common.brands[0]!] })],
  ['rarest brand', () => ({ brands: [common.rareBrand] })],
  ['five brands', () => ({ brands: common.brands.slice(0, 5) })],
  ['minPrice only (wide)', () => ({ minPrice: 100 })],
  ['maxPrice only (narrow)', () => ({ maxPrice: 500 })],
  ['narrow price range', () => ({ minPrice: 10_000, maxPrice: 10_500 })],
  ['wide price range', () => ({ minPrice: 1_000, maxPrice: 500_000 })],
  ['category + brand', () => ({ categories: [common.categories[0]!], brands: [common.brands[0]!] })],
  ['rare category + common brand', () => ({ categories: [common.rareCategory], brands: [common.brands[0]!] })],
  ['category + price range', () => ({ categories: [common.categories[1]!], minPrice: 2_000, maxPrice: 20_000 })],
  ['brand + price range', () => ({ brands: [common.brands[1]!], minPrice: 2_000, maxPrice: 20_000 })],
  [
    'categories + brands + price range',
    () => ({ categories: common.categories.slice(0, 2), brands: common.brands.slice(0, 3), minPrice: 1_000, maxPrice: 100_000 }),
  ],
  ['a filter that matches nothing', () => ({ categories: ['No Such Category'], brands: ['No Such Brand'] })],
];

describe.each([
  ['first page', false],
  ['page after a cursor', true],
])('%s', (_name, withCursor) => {
  test.each(shapes)('%s: no sequential scan', async (_shape, filter) => {
    const nodes = await plan(filter(), { ...(withCursor ? { afterId: common.midId } : {}), limit: 100 });
    const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
    expect(seqScans).toEqual([]);
    // and the products rows come from an index (Index Scan, or Bitmap Heap Scan fed by Bitmap Index Scans)
    const access = nodes.filter((n) => n['Relation Name'] === 'products').map((n) => n['Node Type']);
    expect(access.length).toBeGreaterThan(0);
    for (const a of access) expect(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']).toContain(a);
  });
});

test('sparse fields without availability skip the inventory probe', async () => {
  const nodes = await plan({ categories: [common.categories[0]!] }, { fields: ['id', 'name', 'price'] });
  expect(nodes.some((n) => n['Relation Name'] === 'inventory_levels')).toBe(false);
});

test('payload discipline: every summary of the seeded catalog serializes under 1 KB', async () => {
  let afterId: string | undefined;
  let largest = 0;
  let seen = 0;
  do {
    const page = await listProductSummaries(db, {}, { limit: 100, afterId, lowStockThreshold: 5 });
    for (const item of page.items) largest = Math.max(largest, Buffer.byteLength(JSON.stringify(item)));
    seen += page.items.length;
    afterId = page.hasMore ? page.lastId : undefined;
  } while (afterId);
  expect(seen).toBe(COUNT);
  expect(largest).toBeLessThan(1024);
}, 120_000);
