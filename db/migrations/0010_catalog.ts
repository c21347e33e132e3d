import { type Kysely, sql } from 'kysely';

/**
 * Catalog: the cache invalidator's own progress column on the outbox (the search sync keeps
 * `processed_at`, so one consumer being down never stalls the other), a NOTIFY on every outbox
 * insert so consumers wake within milliseconds instead of polling, and list indexes for the
 * filter shapes the foundation's single-column indexes serve poorly.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type (it changes later)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE outbox ADD COLUMN cache_processed_at timestamptz`.execute(db);
  await sql`CREATE INDEX outbox_cache_pending_idx ON outbox (id) WHERE cache_processed_at IS NULL`.execute(db);

  // One notification per inserting statement (not per row; identical ones in a transaction fold
  // into one): consumers drain in batches anyway. NOTIFY briefly serializes committing
  // transactions on a global queue lock; should that ever show at very high write rates, drop the
  // trigger and lower CACHE_INVALIDATOR_POLL_MS — the consumers poll as a fallback already.
  await sql`
    CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('outbox', '');
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`.execute(db);

  // Category + brand together (the storefront's most common facet pair), in keyset order.
  await sql`CREATE INDEX products_category_brand_id_idx ON products (category, brand, id) WHERE deleted_at IS NULL`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS products_category_brand_id_idx`.execute(db);
  await sql`DROP TRIGGER IF EXISTS outbox_notify ON outbox`.execute(db);
  await sql`DROP FUNCTION IF EXISTS outbox_notify()`.execute(db);
  await sql`DROP INDEX IF EXISTS outbox_cache_pending_idx`.execute(db);
  await sql`ALTER TABLE outbox DROP COLUMN IF EXISTS cache_processed_at`.execute(db);
}
