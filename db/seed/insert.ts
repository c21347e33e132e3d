/**
 * Bulk insertion of generated products with their stock, one transaction per batch: the products
 * and their inventory level at every location go in as one statement from column arrays (`unnest`,
 * a handful of parameters whatever the batch size).
 *
 * The stock ledger must balance the levels. Migration 0030 makes the database write it: a trigger
 * on inventory_levels appends the movement, with the reason and reference named by the
 * transaction-local settings `cathay.stock_reason` / `cathay.stock_reference`, which are set here.
 * Any level with stock still lacking its opening movement afterwards (a schema without that
 * trigger) gets it written explicitly, so the ledger balances either way and is never doubled.
 *
 * Re-running a range is safe: products whose SKU already exists are skipped together with their
 * levels and ledger rows, so nothing is duplicated and the ledger keeps balancing.
 */
import { type Kysely, sql } from 'kysely';
import { LOCATIONS, type MovementReason } from '../../domain/db-enums';
import type { Database } from '../database';
import { type GenerateOptions, generateProducts, type SeedProduct } from './generate-products';

export interface InsertCounts {
  products: number;
  inventoryLevels: number;
  /** Ledger rows of the inserted products (one per level with stock). */
  movements: number;
}

/** Reason and reference of a seeded level's opening movement (unique per sku and location by the ledger's index). */
export const SEED_MOVEMENT_REASON: MovementReason = 'sync';
export const SEED_MOVEMENT_REFERENCE = 'seed:catalog';

/**
 * Inserts the products and an inventory level per (product, location) with `on_hand` = the
 * product's stock there and `reserved` = 0, plus one ledger row (reason 'sync', delta_on_hand =
 * on_hand, delta_reserved = 0) per level with stock; levels at zero need no movement (the empty sum
 * is 0). Returns how many rows were inserted (existing SKUs are skipped).
 */
export async function insertProducts(db: Kysely<Database>, products: readonly SeedProduct[]): Promise<InsertCounts> {
  if (products.length === 0) return { products: 0, inventoryLevels: 0, movements: 0 };
  const n = products.length;
  const skus = new Array<string>(n);
  const names = new Array<string>(n);
  const descriptions = new Array<string>(n);
  const brands = new Array<string>(n);
  const categories = new Array<string>(n);
  const prices = new Array<number>(n);
  const currencies = new Array<string>(n);
  const images = new Array<string>(n);
  const attributes = new Array<string>(n);
  const createdAt = new Array<string>(n);
  const updatedAt = new Array<string>(n);
  const levelSkus: string[] = [];
  const levelLocations: string[] = [];
  const levelOnHand: number[] = [];
  products.forEach((p, i) => {
    skus[i] = p.sku;
    names[i] = p.name;
    descriptions[i] = p.description;
    brands[i] = p.brand;
    categories[i] = p.category;
    prices[i] = p.price_amount;
    currencies[i] = p.currency;
    images[i] = JSON.stringify(p.images);
    attributes[i] = JSON.stringify(p.attributes);
    createdAt[i] = p.created_at.toISOString();
    updatedAt[i] = p.updated_at.toISOString();
    for (const location of LOCATIONS) {
      levelSkus.push(p.sku);
      levelLocations.push(location);
      levelOnHand.push(p.stock[location]);
    }
  });

  return db.transaction().execute(async (trx) => {
    await sql`
      SELECT set_config('cathay.stock_reason', ${SEED_MOVEMENT_REASON}, true),
             set_config('cathay.stock_reference', ${SEED_MOVEMENT_REFERENCE}, true),
             set_config('cathay.stock_order_id', '', true)
    `.execute(trx);

    // One statement: the foreign key levels → products is checked at its end, and products skipped
    // by ON CONFLICT take their levels with them.
    const written = await sql<{ skus: string[] | null; levels: number }>`
      WITH input AS (
        SELECT * FROM unnest(
          ${skus}::text[], ${names}::text[], ${descriptions}::text[], ${brands}::text[], ${categories}::text[],
          ${prices}::int4[], ${currencies}::text[], ${images}::text[], ${attributes}::text[],
          ${createdAt}::timestamptz[], ${updatedAt}::timestamptz[]
        ) AS t(sku, name, description, brand, category, price_amount, currency, images, attributes, created_at, updated_at)
      ),
      inserted AS (
        INSERT INTO products (sku, name, description, brand, category, price_amount, currency, images, attributes, created_at, updated_at)
        SELECT sku, name, description, brand, category, price_amount, currency, images::jsonb, attributes::jsonb, created_at, updated_at
        FROM input
        ON CONFLICT (sku) DO NOTHING
        RETURNING sku
      ),
      levels AS (
        INSERT INTO inventory_levels (sku, location_id, on_hand, reserved)
        SELECT s.sku, s.location_id, s.on_hand, 0
        FROM unnest(${levelSkus}::text[], ${levelLocations}::text[], ${levelOnHand}::int4[]) AS s(sku, location_id, on_hand)
        JOIN inserted USING (sku)
        RETURNING 1
      )
      SELECT (SELECT array_agg(sku) FROM inserted) AS skus, (SELECT count(*) FROM levels)::int AS levels
    `.execute(trx);
    const insertedSkus = written.rows[0]?.skus ?? [];
    if (insertedSkus.length === 0) return { products: 0, inventoryLevels: 0, movements: 0 };

    // Opening movements the database did not write itself (no ledger trigger).
    const ledger = await sql<{ movements: number }>`
      WITH topped_up AS (
        INSERT INTO stock_movements (sku, location_id, delta_on_hand, delta_reserved, reason, reference)
        SELECT l.sku, l.location_id, l.on_hand, 0, ${SEED_MOVEMENT_REASON}, ${SEED_MOVEMENT_REFERENCE}
        FROM inventory_levels l
        WHERE l.sku = ANY(${insertedSkus}::text[]) AND l.on_hand <> 0
          AND NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.sku = l.sku AND m.location_id = l.location_id)
        RETURNING 1
      )
      SELECT ((SELECT count(*) FROM topped_up) + (SELECT count(*) FROM stock_movements WHERE sku = ANY(${insertedSkus}::text[])))::int AS movements
    `.execute(trx);
    return { products: insertedSkus.length, inventoryLevels: written.rows[0]?.levels ?? 0, movements: ledger.rows[0]?.movements ?? 0 };
  });
}

export interface InsertRangeOptions extends GenerateOptions {
  /** First product number (1-based); default 1. */
  first?: number;
  count: number;
  /** Products per statement; default 5,000. */
  batchSize?: number;
  /**
   * Statements in flight at once, each on its own pooled connection; default 1. More than 1 needs
   * a pool with that many free connections (2 roughly halves the time on a 2-core machine).
   */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_BATCH_SIZE = 5_000;

/**
 * Generates and inserts products first .. first+count-1. The next batch is generated while earlier
 * ones are being written, so Postgres and the generator work at the same time. Usable on a
 * database that already has data: pass a `skuPrefix` for isolated products.
 */
export async function insertProductRange(db: Kysely<Database>, opts: InsertRangeOptions): Promise<InsertCounts> {
  const first = opts.first ?? 1;
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const end = first + opts.count;
  const totals: InsertCounts = { products: 0, inventoryLevels: 0, movements: 0 };
  let done = 0;
  let failure: { error: unknown } | undefined;
  const inFlight = new Set<Promise<void>>();

  for (let start = first; start < end && !failure; start += batchSize) {
    const batch = generateProducts(start, Math.min(batchSize, end - start), opts);
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) break;
    // Handlers are attached at once, so a failing batch never becomes an unhandled rejection.
    const write: Promise<void> = insertProducts(db, batch)
      .then(
        (counts) => {
          totals.products += counts.products;
          totals.inventoryLevels += counts.inventoryLevels;
          totals.movements += counts.movements;
          done += batch.length;
          opts.onProgress?.(done, opts.count);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return totals;
}
