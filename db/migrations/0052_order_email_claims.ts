import { type Kysely, sql } from 'kysely';

/**
 * The order email outbox row becomes the claim of every order email send (outbox and local
 * activity alike), so no transaction is held across SMTP:
 * - `sending_since`: set by the claim (an attempt started), cleared when an attempt fails in a way
 *   that surely sent nothing. A claim whose lease ran out with it still set is ambiguous: its
 *   sender died (or gave up recording) somewhere between the claim and the record, perhaps after
 *   the relay accepted the message;
 * - `ambiguous_attempts` counts the claims that followed such an attempt (each a possible second
 *   copy, same Message-ID), `resending` says whether the current claim is one;
 * - `order_notifications.ambiguous_resends` keeps that count once the email is recorded (the
 *   outbox row is deleted then), so the reliability audit can tell an explained re-send (a sender
 *   died mid-send) from a bug.
 * Numbered after 0051 (not in the orders 0040 range) because it alters 0051's table: a fresh
 * database applies migrations in name order.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE order_email_outbox
    ADD COLUMN sending_since timestamptz,
    ADD COLUMN resending boolean NOT NULL DEFAULT false,
    ADD COLUMN ambiguous_attempts integer NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE order_notifications ADD COLUMN ambiguous_resends integer NOT NULL DEFAULT 0`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE order_notifications DROP COLUMN IF EXISTS ambiguous_resends`.execute(db);
  await sql`ALTER TABLE order_email_outbox
    DROP COLUMN IF EXISTS sending_since,
    DROP COLUMN IF EXISTS resending,
    DROP COLUMN IF EXISTS ambiguous_attempts`.execute(db);
}
