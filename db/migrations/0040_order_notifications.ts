import { type Kysely, sql } from 'kysely';

/**
 * Emails sent per order and kind (confirmed, shipped, delivered, cancelled): the notification
 * activity checks here before sending and records after, so a retried activity does not email
 * twice. The window between "SMTP accepted" and "row committed" is covered by a deterministic
 * Message-ID (the same email again, recognisable as a duplicate by mail clients).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('order_notifications')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('order_notifications_pk', ['order_id', 'kind'])
    .execute();
  // Support's "every failed order" and the storefront's history filter by status: covered by
  // orders_status_created_idx and orders_customer_created_idx (0001). The customer history with a
  // status filter needs its own:
  await sql`CREATE INDEX orders_customer_status_created_idx ON orders (customer_id, status, created_at DESC, id DESC)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS orders_customer_status_created_idx`.execute(db);
  await db.schema.dropTable('order_notifications').ifExists().execute();
}
