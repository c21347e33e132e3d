/**
 * Catalog reads and admin writes. Reads return the contract's shapes (Product, ProductSummary);
 * every write goes to Postgres and the outbox in one transaction (outbox contract: topic
 * 'product', aggregate_id = product id, payload { sku, op }).
 */
import { type Expression, type Kysely, sql } from 'kysely';
import { availabilityStatus } from '../../domain/availability';
import { LOCATIONS } from '../../domain/db-enums';
import { AppError } from '../../domain/errors';
import type { Product, ProductCreate, ProductPatch, ProductSummary, SummaryField } from '../../domain/schemas/catalog';
import type { Database, ProductRow, ProductUpdate } from '../database';

type Db = Kysely<Database>;

export interface ProductListFilter {
  categories?: string[];
  brands?: string[];
  minPrice?: number;
  maxPrice?: number;
}

/** On hand − reserved across every location of the product's sku (0 when it has no stock rows). */
const availableOf = (skuColumn: Expression<string>) =>
  // Capped at the int4 maximum: several locations each near it would overflow the cast (22003).
  sql<number>`(SELECT LEAST(COALESCE(SUM(il.on_hand - il.reserved), 0), 2147483647)::int FROM inventory_levels il WHERE il.sku = ${skuColumn})`;

export interface ListPage {
  limit: number;
  afterId?: string;
  fields?: readonly SummaryField[];
  lowStockThreshold: number;
}

/** The list query itself (exported so the index test can EXPLAIN exactly what the API runs). */
export function productListQuery(db: Db, filter: ProductListFilter, page: ListPage) {
  const want = (f: SummaryField) => !page.fields || page.fields.includes(f);
  let q = db
    .selectFrom('products as p')
    .select(['p.id', 'p.sku', 'p.name', 'p.brand', 'p.category', 'p.price_amount', 'p.currency'])
    .where('p.deleted_at', 'is', null);
  if (want('thumbnail')) q = q.select(sql<string | null>`p.images->0->>'url'`.as('thumbnail'));
  if (want('availability')) q = q.select(availableOf(sql.ref('p.sku')).as('available'));
  if (filter.categories?.length) q = q.where('p.category', 'in', filter.categories);
  if (filter.brands?.length) q = q.where('p.brand', 'in', filter.brands);
  if (filter.minPrice !== undefined) q = q.where('p.price_amount', '>=', filter.minPrice);
  if (filter.maxPrice !== undefined) q = q.where('p.price_amount', '<=', filter.maxPrice);
  if (page.afterId) q = q.where('p.id', '>', page.afterId);
  return q.orderBy('p.id').limit(page.limit + 1);
}

/**
 * One page in keyset order (id), `limit + 1` rows so the caller knows whether there is more.
 * Only the columns `fields` needs are read (availability costs an extra index probe per row).
 */
export async function listProductSummaries(
  db: Db,
  filter: ProductListFilter,
  page: ListPage,
): Promise<{ items: Partial<ProductSummary>[]; lastId: string | undefined; hasMore: boolean }> {
  const rows = await productListQuery(db, filter, page).execute();
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const items = pageRows.map((r) => {
    const row = r as typeof r & { thumbnail?: string | null; available?: number };
    const full: ProductSummary = {
      id: row.id,
      sku: row.sku,
      name: row.name,
      brand: row.brand,
      category: row.category,
      price: { amount: row.price_amount, currency: row.currency },
      thumbnail: row.thumbnail ?? null,
      availability: { status: availabilityStatus(row.available ?? 0, page.lowStockThreshold) },
    };
    if (!page.fields) return full;
    const picked: Partial<ProductSummary> = {};
    for (const f of page.fields) (picked as Record<string, unknown>)[f] = full[f];
    return picked;
  });
  return { items, lastId: pageRows.at(-1)?.id, hasMore };
}

export function toProduct(row: ProductRow, available: number, lowStockThreshold: number): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    brand: row.brand,
    category: row.category,
    images: row.images.map((i) => ({ url: i.url, alt: i.alt ?? '' })),
    price: { amount: row.price_amount, currency: row.currency },
    attributes: row.attributes,
    availability: { status: availabilityStatus(available, lowStockThreshold), available },
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A live product by id (when `idOrSku` is UUID-shaped) or sku, with its availability. */
export async function findProduct(db: Db, idOrSku: string, isId: boolean, lowStockThreshold: number): Promise<Product | undefined> {
  const row = await db
    .selectFrom('products as p')
    .selectAll('p')
    .select(availableOf(sql.ref('p.sku')).as('available'))
    .where(isId ? 'p.id' : 'p.sku', '=', isId ? idOrSku.toLowerCase() : idOrSku)
    .where('p.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { available, ...product } = row;
  return toProduct(product, available, lowStockThreshold);
}

/** Currencies the live catalog is priced in (for the store configuration). */
export async function liveCurrencies(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('products').select('currency').distinct().where('deleted_at', 'is', null).orderBy('currency').execute();
  return rows.map((r) => r.currency.trim());
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}

function duplicateSku(sku: string, cause: unknown): AppError {
  return new AppError('duplicate_sku', `A product with sku "${sku}" already exists (skus are never reused, even after a delete)`, {
    errors: [{ path: 'sku', message: 'already exists' }],
    cause,
  });
}

async function enqueueProductChange(db: Db, product: { id: string; sku: string }, op: 'upsert' | 'delete'): Promise<void> {
  await db
    .insertInto('outbox')
    .values({ topic: 'product', aggregate_id: product.id, payload: JSON.stringify({ sku: product.sku, op }) })
    .execute();
}

/**
 * Creates a product, its stock rows at 0 in every location (no ledger movement: the ledger sum
 * of an empty level is 0, so it balances) and its outbox row, in one transaction.
 */
export async function createProduct(db: Db, input: ProductCreate, lowStockThreshold: number): Promise<Product> {
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('products')
        .values({
          sku: input.sku,
          name: input.name,
          description: input.description,
          brand: input.brand,
          category: input.category,
          price_amount: input.price.amount,
          currency: input.price.currency,
          images: JSON.stringify(input.images),
          attributes: JSON.stringify(input.attributes),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('inventory_levels')
        .values(LOCATIONS.map((location_id) => ({ sku: row.sku, location_id, on_hand: 0, reserved: 0 })))
        .execute();
      await enqueueProductChange(trx, row, 'upsert');
      return toProduct(row, 0, lowStockThreshold);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'products_sku_key')) throw duplicateSku(input.sku, err);
    throw err;
  }
}

/** Applies a partial update to a live product; undefined when there is none with that id. */
export async function updateProduct(db: Db, id: string, patch: ProductPatch, lowStockThreshold: number): Promise<Product | undefined> {
  const set: ProductUpdate = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.brand !== undefined) set.brand = patch.brand;
  if (patch.category !== undefined) set.category = patch.category;
  if (patch.price !== undefined) {
    set.price_amount = patch.price.amount;
    set.currency = patch.price.currency;
  }
  if (patch.images !== undefined) set.images = JSON.stringify(patch.images);
  if (patch.attributes !== undefined) set.attributes = JSON.stringify(patch.attributes);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('products')
      .set({ ...set, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await enqueueProductChange(trx, row, 'upsert');
    const { available } = await trx.selectNoFrom(availableOf(sql.val(row.sku)).as('available')).executeTakeFirstOrThrow();
    return toProduct(row, available, lowStockThreshold);
  });
}

/**
 * Soft delete: order lines, reservations and the stock ledger keep pointing at the row; reads
 * treat it as gone. Undefined when there is no live product with that id.
 */
export async function deleteProduct(db: Db, id: string): Promise<{ id: string; sku: string } | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('products')
      .set({ deleted_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returning(['id', 'sku'])
      .executeTakeFirst();
    if (!row) return undefined;
    await enqueueProductChange(trx, row, 'delete');
    return row;
  });
}
