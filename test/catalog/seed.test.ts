/**
 * The catalog seed: generation is deterministic and production-like (checked without a database),
 * and seeding writes products, stock at every location and a balanced stock ledger (checked on a
 * database of this file's own, created and dropped here, since the run's shared database is not
 * empty).
 */
import { sql } from 'kysely';
import { loadConfig } from '../../config';
import type { Db } from '../../db/connection';
import { dropDatabase } from '../../db/ensure-database';
import {
  BRAND_COUNT,
  BRAND_NAMES,
  CATEGORY_PATHS,
  CATEGORY_TREE,
  CREATED_SPAN_DAYS,
  generateProduct,
  generateProducts,
  insertProductRange,
  LEAF_CATEGORIES,
  LOW_STOCK_MAX,
  SEED_MOVEMENT_REFERENCE,
  SEED_REFERENCE_DATE,
  seedCatalog,
  skuFor,
  stockProfileOf,
  totalStock,
} from '../../db/seed';
import { LOCATIONS } from '../../domain/db-enums';
import { freshDatabase } from '../support/databases';

const SAMPLE_SIZE = 20_000;

describe('catalog generation', () => {
  const sample = generateProducts(1, SAMPLE_SIZE);

  test('product n is the same on every call and in every batch', () => {
    expect(generateProduct(42)).toEqual(generateProduct(42));
    expect(generateProducts(40, 5)[2]).toEqual(generateProduct(42));
    expect(sample[41]).toEqual(generateProduct(42));
    expect(sample[0]?.sku).toBe('SKU-000001');
    expect(skuFor(123_456)).toBe('SKU-123456');
    // Neighbours differ.
    expect(generateProduct(43).name).not.toBe(generateProduct(42).name);
  });

  test('a SKU prefix changes only the SKU and image URLs; another seed gives another catalog', () => {
    const plain = generateProduct(7);
    const prefixed = generateProduct(7, { skuPrefix: 'T-abc-' });
    expect(prefixed.sku).toBe('T-abc-000007');
    expect(prefixed.images.every((img) => img.url.includes('/T-abc-000007/'))).toBe(true);
    expect({ ...prefixed, sku: plain.sku, images: plain.images }).toEqual(plain);
    const reseeded = generateProducts(1, 20, { seed: 7 }).map((p) => p.name);
    expect(reseeded).not.toEqual(sample.slice(0, 20).map((p) => p.name));
  });

  test('~40 leaf categories and ~300 brands, all in use', () => {
    expect(LEAF_CATEGORIES.length).toBeGreaterThanOrEqual(36);
    expect(LEAF_CATEGORIES.length).toBeLessThanOrEqual(48);
    expect(CATEGORY_TREE.flatMap((d) => d.children).map((c) => c.path)).toEqual(CATEGORY_PATHS);
    expect(new Set(CATEGORY_PATHS).size).toBe(CATEGORY_PATHS.length);
    expect(BRAND_NAMES).toHaveLength(BRAND_COUNT);
    expect(new Set(BRAND_NAMES.map((b) => b.toLowerCase())).size).toBe(BRAND_COUNT);

    const categories = new Set(sample.map((p) => p.category));
    const brands = new Set(sample.map((p) => p.brand));
    expect([...categories].sort()).toEqual([...CATEGORY_PATHS].sort());
    expect(brands.size).toBe(BRAND_COUNT);
    for (const brand of brands) expect(BRAND_NAMES).toContain(brand);
  });

  test('prices are positive integer cents with a long tail', () => {
    const prices = sample.map((p) => p.price_amount).sort((a, b) => a - b);
    expect(prices.filter((price) => !Number.isInteger(price) || price <= 0)).toEqual([]);
    const share = (lo: number, hi: number) => prices.filter((p) => p >= lo && p <= hi).length / prices.length;
    expect(share(500, 10_000)).toBeGreaterThan(0.6); // most between $5 and $100
    expect(share(100_000, Number.MAX_SAFE_INTEGER)).toBeGreaterThan(0.005); // a tail over $1,000
    expect(prices[prices.length - 1]).toBeLessThanOrEqual(600_000); // … up to a few thousand
    const median = prices[Math.floor(prices.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(1_500);
    expect(median).toBeLessThan(10_000);
  });

  test('every product has a weight, 1–4 images, a 1–3 sentence description and a date in the last two years', () => {
    const reference = SEED_REFERENCE_DATE.getTime();
    const earliest = reference - CREATED_SPAN_DAYS * 86_400_000;
    // Sentences end in ". " before a capital; "Dr. Martens" and "No. 3" are not ends.
    const sentenceCount = (text: string) => text.split(/(?<!\b(?:Dr|No)\.)(?<=\.) (?=[A-Z])/).length;
    // Collect what is wrong per product (one expect per product would take seconds for 20,000).
    const problems = sample.flatMap((p) => {
      const wrong: string[] = [];
      const { weightGrams, productType } = p.attributes;
      if (!Number.isInteger(weightGrams) || weightGrams <= 0) wrong.push('weightGrams');
      if (typeof productType !== 'string' || !productType) wrong.push('productType');
      if (p.images.length < 1 || p.images.length > 4) wrong.push('image count');
      p.images.forEach((img, k) => {
        if (img.url !== `https://img.cathay.test/p/${p.sku}/${k + 1}.jpg` || !img.alt) wrong.push(`image ${k + 1}`);
      });
      const sentences = sentenceCount(p.description);
      if (sentences < 1 || sentences > 3 || !p.description.endsWith('.')) wrong.push(`description: ${p.description}`);
      if (!p.name.includes(p.brand)) wrong.push('name without brand');
      const created = p.created_at.getTime();
      const updated = p.updated_at.getTime();
      if (created < earliest || created > reference || updated < created || updated > reference) wrong.push('dates');
      if (p.currency !== 'USD') wrong.push('currency');
      return wrong.length ? [{ sku: p.sku, wrong }] : [];
    });
    expect(problems).toEqual([]);
    const clothing = sample.filter((p) => p.category === 'Clothing > T-Shirts');
    expect(clothing.every((p) => typeof p.attributes.size === 'string' && typeof p.attributes.color === 'string')).toBe(true);
  });

  test('names carry brands and recognisable product nouns (iPhone, Galaxy, …) for search', () => {
    const phones = sample.filter((p) => p.category === 'Electronics > Phones');
    expect(phones.filter((p) => p.name.includes('iPhone')).length).toBeGreaterThan(20);
    expect(phones.filter((p) => p.name.includes('Galaxy')).length).toBeGreaterThan(20);
    expect(phones.filter((p) => p.name.includes('Pixel')).length).toBeGreaterThan(5);
    expect(phones.every((p) => /phone|iPhone|Galaxy|Pixel|OnePlus|Nord|Moto|Edge|Redmi/i.test(p.name))).toBe(true);
  });

  test('about 5% out of stock everywhere and 10% low, at every location', () => {
    const profiles = { out: 0, low: 0, healthy: 0 };
    const locations = [...LOCATIONS].sort().join();
    const bad: string[] = [];
    for (const p of sample) {
      profiles[stockProfileOf(p.stock)]++;
      const valid =
        Object.keys(p.stock).sort().join() === locations && LOCATIONS.every((loc) => Number.isInteger(p.stock[loc]) && p.stock[loc] >= 0);
      if (!valid) bad.push(p.sku);
    }
    expect(bad).toEqual([]);
    expect(profiles.out / SAMPLE_SIZE).toBeGreaterThan(0.04);
    expect(profiles.out / SAMPLE_SIZE).toBeLessThan(0.06);
    expect(profiles.low / SAMPLE_SIZE).toBeGreaterThan(0.085);
    expect(profiles.low / SAMPLE_SIZE).toBeLessThan(0.115);
    expect(sample.filter((p) => totalStock(p.stock) > 0 && totalStock(p.stock) <= LOW_STOCK_MAX)).toHaveLength(profiles.low);
  });
});

describe('seeding a database', () => {
  const base = process.env.DATABASE_URL ?? loadConfig().DATABASE_URL;
  const url = `${base}_seed`;
  const COUNT = 2_000;
  let db: Db;

  beforeAll(async () => {
    db = await freshDatabase(url);
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });

  const ledgerMismatches = async () =>
    (
      await sql<{ n: number }>`
        SELECT count(*)::int AS n
        FROM inventory_levels l
        LEFT JOIN (
          SELECT sku, location_id, sum(delta_on_hand)::int AS on_hand, sum(delta_reserved)::int AS reserved
          FROM stock_movements GROUP BY sku, location_id
        ) m USING (sku, location_id)
        WHERE COALESCE(m.on_hand, 0) <> l.on_hand OR COALESCE(m.reserved, 0) <> l.reserved
      `.execute(db)
    ).rows[0]?.n;

  test('seedCatalog seeds an empty catalog once: products, stock at every location, a balanced ledger', async () => {
    const result = await seedCatalog(db, { count: COUNT, batchSize: 700, concurrency: 2 });
    expect(result).toMatchObject({ seeded: true, products: COUNT, inventoryLevels: COUNT * LOCATIONS.length });
    expect(result.movements).toBeGreaterThan(0);

    const perLocation = await db
      .selectFrom('inventory_levels')
      .select(['location_id', sql<number>`count(*)::int`.as('n'), sql<number>`max(reserved)`.as('max_reserved')])
      .groupBy('location_id')
      .orderBy('location_id')
      .execute();
    expect(perLocation).toEqual([...LOCATIONS].sort().map((location_id) => ({ location_id, n: COUNT, max_reserved: 0 })));

    expect(await ledgerMismatches()).toBe(0);
    const ledger = await sql<{ movements: number; bad: number }>`
      SELECT count(*)::int AS movements,
             count(*) FILTER (WHERE reason <> 'sync' OR delta_reserved <> 0 OR delta_on_hand <= 0
                              OR reference <> ${SEED_MOVEMENT_REFERENCE})::int AS bad
      FROM stock_movements
    `.execute(db);
    expect(ledger.rows[0]).toEqual({ movements: result.movements, bad: 0 });

    const profiles = await sql<{ out: number; low: number }>`
      SELECT count(*) FILTER (WHERE total = 0)::int AS out,
             count(*) FILTER (WHERE total BETWEEN 1 AND ${LOW_STOCK_MAX})::int AS low
      FROM (SELECT sku, sum(on_hand - reserved) AS total FROM inventory_levels GROUP BY sku) t
    `.execute(db);
    const { out = 0, low = 0 } = profiles.rows[0] ?? {};
    expect(out / COUNT).toBeGreaterThan(0.03);
    expect(out / COUNT).toBeLessThan(0.07);
    expect(low / COUNT).toBeGreaterThan(0.07);
    expect(low / COUNT).toBeLessThan(0.13);

    const prices = await sql<{ bad: number }>`SELECT count(*)::int AS bad FROM products WHERE price_amount <= 0`.execute(db);
    expect(prices.rows[0]?.bad).toBe(0);

    // A second run finds the catalog full and writes nothing.
    expect(await seedCatalog(db, { count: COUNT })).toMatchObject({ seeded: false, products: 0 });
    expect(await db.selectFrom('products').select(sql<number>`count(*)::int`.as('n')).executeTakeFirst()).toEqual({ n: COUNT });
  });

  test('stored rows are the generated products', async () => {
    const expected = generateProduct(1_234);
    const row = await db.selectFrom('products').selectAll().where('sku', '=', expected.sku).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: expected.name,
      description: expected.description,
      brand: expected.brand,
      category: expected.category,
      price_amount: expected.price_amount,
      currency: 'USD',
      images: expected.images,
      attributes: expected.attributes,
      created_at: expected.created_at,
      updated_at: expected.updated_at,
      deleted_at: null,
    });
    const levels = await db.selectFrom('inventory_levels').select(['location_id', 'on_hand']).where('sku', '=', expected.sku).execute();
    expect(Object.fromEntries(levels.map((l) => [l.location_id, l.on_hand]))).toEqual(expected.stock);
  });

  test('insertProductRange adds isolated prefixed products to a catalog with data, and re-running it is a no-op', async () => {
    const opts = { first: 1, count: 50, skuPrefix: 'ISO-', batchSize: 20 };
    expect(await insertProductRange(db, opts)).toMatchObject({ products: 50, inventoryLevels: 50 * LOCATIONS.length });
    expect(await insertProductRange(db, opts)).toEqual({ products: 0, inventoryLevels: 0, movements: 0 });
    const isolated = await db
      .selectFrom('products')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('sku', 'like', 'ISO-%')
      .executeTakeFirst();
    expect(isolated).toEqual({ n: 50 });
    expect(await ledgerMismatches()).toBe(0);
  });
});
