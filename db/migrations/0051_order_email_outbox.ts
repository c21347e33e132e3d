import { type Kysely, sql } from 'kysely';

/**
 * Order emails still to send, written in the same transaction as the status change that calls for
 * them (today: `confirmed`), so the order workflow need not wait for SMTP and a crash between the
 * commit and the send loses nothing. A row is claimed by pushing `next_attempt_at` forward (a
 * lease), deleted once the email is recorded in `order_notifications`, and deferred with backoff
 * when the send fails. `details` carries the email's extra fields (a cancellation's reason).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('order_email_outbox')
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('order_email_outbox_pk', ['order_id', 'kind'])
    .execute();
  await sql`CREATE INDEX order_email_outbox_due_idx ON order_email_outbox (next_attempt_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_email_outbox').ifExists().execute();
}
