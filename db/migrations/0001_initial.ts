import { type Kysely, sql } from 'kysely';
import { MOVEMENT_REASONS, ORDER_STATUSES, OUTBOX_TOPICS, RESERVATION_STATUSES } from '../../domain/db-enums';

/** `col IN ('a','b')` for a CHECK constraint, from one of the domain's value tuples. */
function oneOf(column: string, values: readonly string[]) {
  return sql.raw(`${column} IN (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type (it changes later)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pgcrypto`.execute(db);

  await db.schema
    .createTable('products')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('sku', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('price_amount', 'integer', (c) => c.notNull().check(sql`price_amount >= 0`))
    .addColumn('currency', 'char(3)', (c) => c.notNull().defaultTo('USD'))
    .addColumn('images', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // List filters: keyset order is (id); each filter shape has an index that yields rows in that order.
  await sql`CREATE INDEX products_live_id_idx ON products (id) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX products_category_id_idx ON products (category, id) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX products_brand_id_idx ON products (brand, id) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX products_price_idx ON products (price_amount, id) WHERE deleted_at IS NULL`.execute(db);

  await db.schema
    .createTable('inventory_levels')
    .addColumn('sku', 'text', (c) => c.notNull().references('products.sku').onUpdate('cascade'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('inventory_levels_pk', ['sku', 'location_id'])
    .addCheckConstraint('inventory_levels_reserved_range', sql`0 <= reserved AND reserved <= on_hand`)
    .execute();

  await db.schema
    .createTable('reservations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', RESERVATION_STATUSES)))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reservations_order_sku_location_uq', ['order_id', 'sku', 'location_id'])
    .addForeignKeyConstraint('reservations_level_fk', ['sku', 'location_id'], 'inventory_levels', ['sku', 'location_id'])
    .execute();
  await sql`CREATE INDEX reservations_held_expiry_idx ON reservations (expires_at) WHERE status = 'held'`.execute(db);
  await sql`CREATE INDEX reservations_sku_idx ON reservations (sku, location_id) WHERE status = 'held'`.execute(db);

  await db.schema
    .createTable('stock_movements')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('delta_on_hand', 'integer', (c) => c.notNull())
    .addColumn('delta_reserved', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(oneOf('reason', MOVEMENT_REASONS)))
    .addColumn('order_id', 'text')
    .addColumn('reference', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('stock_movements_level_fk', ['sku', 'location_id'], 'inventory_levels', ['sku', 'location_id'])
    .execute();
  await sql`CREATE INDEX stock_movements_sku_idx ON stock_movements (sku, location_id, id)`.execute(db);
  await sql`CREATE UNIQUE INDEX stock_movements_reference_uq ON stock_movements (reference, sku, location_id) WHERE reference IS NOT NULL`.execute(
    db,
  );

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', ORDER_STATUSES)))
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    .addColumn('subtotal_amount', 'integer', (c) => c.notNull())
    .addColumn('shipping_amount', 'integer', (c) => c.notNull())
    .addColumn('total_amount', 'integer', (c) => c.notNull())
    .addColumn('shipping_address', 'jsonb', (c) => c.notNull())
    .addColumn('shipping_carrier', 'text')
    .addColumn('shipping_service', 'text')
    .addColumn('quote_id', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('tracking_status', 'text')
    .addColumn('tracking_url', 'text')
    .addColumn('payment_authorization_id', 'text')
    .addColumn('payment_capture_id', 'text')
    .addColumn('failure', 'jsonb')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('orders_customer_idempotency_uq', ['customer_id', 'idempotency_key'])
    .execute();
  await sql`CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC)`.execute(db);

  await db.schema
    .createTable('order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price_amount', 'integer', (c) => c.notNull())
    .addColumn('line_total_amount', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('order_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('data', 'jsonb')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('order_events_key_uq', ['order_id', 'event_key'])
    .execute();

  await db.schema
    .createTable('shipments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
    .addColumn('tracking_status', 'text', (c) => c.notNull())
    .addColumn('tracking_url', 'text')
    .addColumn('label_url', 'text')
    .addColumn('booking_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('shipments_order_idx').on('shipments').column('order_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull().check(oneOf('topic', OUTBOX_TOPICS)))
    .addColumn('aggregate_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE processed_at IS NULL`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox',
    'idempotency_keys',
    'shipments',
    'order_events',
    'order_lines',
    'orders',
    'stock_movements',
    'reservations',
    'inventory_levels',
    'products',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
