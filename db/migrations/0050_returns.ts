import { type Kysely, sql } from 'kysely';

/**
 * Returns and refunds (contract v1.1), with the money and quantity rules in the database, where
 * concurrency cannot get around them:
 *
 * 1. `returns` + `return_lines`: a return line points at its order line; a trigger locks that
 *    order line (FOR NO KEY UPDATE) and refuses the write unless the units still claimed by the order's
 *    returns (requested/approved/in transit: the requested quantity; received or later: what was
 *    received; rejected: nothing) stay within the delivered quantity. Two racing requests for the
 *    last unit serialize on the order line's lock: the second sees the first and is refused
 *    (`return_exceeds_delivered`, SQLSTATE CR409).
 * 2. `refunds`: every refund of an order's capture (a return's, or a goodwill one), reserved here
 *    before the provider is asked. A trigger locks the order row and refuses a refund that would
 *    take the order's refunds above what was captured (`refund_exceeds_captured`, CR409).
 *    Idempotent by `idempotency_key` (`{returnId}:refund`, `goodwill:{orderId}:{key}`).
 * 3. The stock ledger learns reason `return` (0030's CHECK, trigger and rules extended, not
 *    bypassed): a `return` movement only adds units on hand, never touches `reserved`, and carries
 *    a reference (`return:{returnId}:{sku}`), so the ledger's unique (reference, sku, location)
 *    makes a restock happen once. `restock_return` is the one function that writes it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  // --- 3. the ledger reason ----------------------------------------------------------------------
  // 0001 named the reasons in an unnamed column CHECK (Postgres calls it stock_movements_reason_check).
  await sql`ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check`.execute(db);
  await sql`ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check
    CHECK (reason IN ('reserve', 'release', 'commit', 'adjust', 'sync', 'return'))`.execute(db);

  // 0030's trigger, same body, plus the rule for returns.
  await sql`
CREATE OR REPLACE FUNCTION stock_ledger_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_reason text := nullif(current_setting('cathay.stock_reason', true), '');
  v_reference text := nullif(current_setting('cathay.stock_reference', true), '');
  d_on_hand int;
  d_reserved int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    d_on_hand := NEW.on_hand;
    d_reserved := NEW.reserved;
  ELSE
    IF NEW.sku IS DISTINCT FROM OLD.sku OR NEW.location_id IS DISTINCT FROM OLD.location_id THEN
      RAISE EXCEPTION 'inventory_levels keys are immutable';
    END IF;
    d_on_hand := NEW.on_hand - OLD.on_hand;
    d_reserved := NEW.reserved - OLD.reserved;
  END IF;
  IF d_on_hand = 0 AND d_reserved = 0 THEN
    RETURN NEW;
  END IF;
  IF v_reason IS NULL THEN
    RAISE EXCEPTION 'stock change without a reason: SET LOCAL cathay.stock_reason first'
      USING ERRCODE = 'check_violation';
  END IF;
  IF v_reason = 'return' AND (d_reserved <> 0 OR d_on_hand <= 0 OR v_reference IS NULL) THEN
    RAISE EXCEPTION 'a return only adds units on hand, with a reference (got on_hand %, reserved %, reference %)',
      d_on_hand, d_reserved, coalesce(v_reference, 'none')
      USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO stock_movements (sku, location_id, delta_on_hand, delta_reserved, reason, order_id, reference)
  VALUES (NEW.sku, NEW.location_id, d_on_hand, d_reserved, v_reason,
          nullif(current_setting('cathay.stock_order_id', true), ''), v_reference);
  RETURN NEW;
END $$`.execute(db);

  // --- 1. returns --------------------------------------------------------------------------------
  await db.schema
    .createTable('returns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status IN ('requested', 'approved', 'in_transit', 'received', 'refunded', 'rejected', 'failed')`),
    )
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull().unique())
    .addColumn('label_carrier', 'text')
    .addColumn('label_service', 'text')
    .addColumn('label_tracking_number', 'text', (c) => c.unique())
    .addColumn('label_url', 'text')
    .addColumn('label_tracking_status', 'text')
    .addColumn('failure', 'jsonb')
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('returns_order_idempotency_uq', ['order_id', 'idempotency_key'])
    .execute();
  await sql`CREATE INDEX returns_order_created_idx ON returns (order_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX returns_status_created_idx ON returns (status, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX returns_created_idx ON returns (created_at DESC, id DESC)`.execute(db);

  await db.schema
    .createTable('return_lines')
    .addColumn('return_id', 'text', (c) => c.notNull().references('returns.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('received_resellable', 'integer', (c) => c.notNull().defaultTo(0).check(sql`received_resellable >= 0`))
    .addColumn('received_damaged', 'integer', (c) => c.notNull().defaultTo(0).check(sql`received_damaged >= 0`))
    .addColumn('received_at', 'timestamptz')
    .addPrimaryKeyConstraint('return_lines_pk', ['return_id', 'line_no'])
    .addForeignKeyConstraint('return_lines_order_line_fk', ['order_id', 'line_no'], 'order_lines', ['order_id', 'line_no'])
    .addCheckConstraint('return_lines_received_le_requested', sql`received_resellable + received_damaged <= quantity`)
    .execute();
  await sql`CREATE INDEX return_lines_order_line_idx ON return_lines (order_id, line_no)`.execute(db);

  // Units of an order line still claimed by its returns (see 1. above).
  await sql`
CREATE FUNCTION order_line_returned_units(p_order_id text, p_line_no int) RETURNS int LANGUAGE sql AS $$
  -- VOLATILE (the default) on purpose: a fresh snapshot, taken after the caller's row lock.
  SELECT coalesce(sum(CASE
           WHEN r.status IN ('requested', 'approved', 'in_transit') THEN l.quantity
           WHEN r.status IN ('received', 'refunded', 'failed') THEN l.received_resellable + l.received_damaged
           ELSE 0 END), 0)::int
    FROM return_lines l JOIN returns r ON r.id = l.return_id
   WHERE l.order_id = p_order_id AND l.line_no = p_line_no
$$`.execute(db);

  await sql`
CREATE FUNCTION return_lines_within_delivered() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_delivered int;
  v_claimed int;
BEGIN
  -- The order line's row lock serializes every return of that line (the sum below sees the other
  -- transaction's committed rows once the lock is granted). NO KEY UPDATE, not UPDATE: the line's
  -- foreign key already holds KEY SHARE on this row, and two of those upgrading to FOR UPDATE
  -- deadlock; NO KEY UPDATE does not conflict with KEY SHARE, only with itself.
  SELECT quantity INTO v_delivered FROM order_lines WHERE order_id = NEW.order_id AND line_no = NEW.line_no FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'return line for unknown order line (%, %)', NEW.order_id, NEW.line_no USING ERRCODE = 'foreign_key_violation';
  END IF;
  v_claimed := order_line_returned_units(NEW.order_id, NEW.line_no);
  IF v_claimed > v_delivered THEN
    RAISE EXCEPTION 'return_exceeds_delivered: order % line % has % delivered, % claimed by returns', NEW.order_id, NEW.line_no,
      v_delivered, v_claimed USING ERRCODE = 'CR409';
  END IF;
  RETURN NULL;
END $$`.execute(db);
  // AFTER: the new row is counted by the sum. Status changes of a return only release units
  // (rejected) or shrink them to what was received, so the line rows are where the check belongs.
  await sql`CREATE TRIGGER return_lines_within_delivered AFTER INSERT OR UPDATE OF quantity, order_id, line_no ON return_lines
    FOR EACH ROW EXECUTE FUNCTION return_lines_within_delivered()`.execute(db);

  // --- 2. refunds --------------------------------------------------------------------------------
  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('return_id', 'text', (c) => c.references('returns.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('return', 'goodwill')`))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('pending', 'succeeded')`))
    .addColumn('provider_refund_id', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('request_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('refunded_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX refunds_order_idx ON refunds (order_id, created_at)`.execute(db);
  await sql`CREATE UNIQUE INDEX refunds_return_uq ON refunds (return_id) WHERE return_id IS NOT NULL`.execute(db);

  await sql`
CREATE FUNCTION refunds_within_captured() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_captured int;
  v_refunded bigint;
BEGIN
  -- The order row's lock serializes every refund of the order (NO KEY UPDATE: see the return
  -- lines' trigger; the refund's foreign key holds KEY SHARE on the same row).
  SELECT CASE WHEN payment_capture_id IS NULL THEN 0 ELSE total_amount END INTO v_captured
    FROM orders WHERE id = NEW.order_id FOR NO KEY UPDATE;
  SELECT coalesce(sum(amount), 0) INTO v_refunded FROM refunds WHERE order_id = NEW.order_id;
  IF v_refunded > coalesce(v_captured, 0) THEN
    RAISE EXCEPTION 'refund_exceeds_captured: order % captured %, refunds would total %', NEW.order_id, coalesce(v_captured, 0), v_refunded
      USING ERRCODE = 'CR409';
  END IF;
  RETURN NULL;
END $$`.execute(db);
  await sql`CREATE TRIGGER refunds_within_captured AFTER INSERT OR UPDATE OF amount, order_id ON refunds
    FOR EACH ROW EXECUTE FUNCTION refunds_within_captured()`.execute(db);

  // --- 3. restocking a return --------------------------------------------------------------------
  // Adds p_qty units of a returned line back on hand at p_location (the row is created if the sku
  // has none there), ledgered as 'return' with reference return:{returnId}:{sku}. Idempotent: a
  // second call for the same return and sku finds its ledger row and changes nothing. Returns
  // true when this call restocked.
  await sql`
CREATE FUNCTION restock_return(p_return_id text, p_order_id text, p_sku text, p_location text, p_qty int) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_ref text := 'return:' || p_return_id || ':' || p_sku;
BEGIN
  IF p_qty IS NULL OR p_qty <= 0 THEN
    RETURN false;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(v_ref, 0));
  IF EXISTS (SELECT 1 FROM stock_movements WHERE reference = v_ref AND sku = p_sku) THEN
    RETURN false;
  END IF;
  PERFORM set_config('cathay.stock_reason', 'return', true);
  PERFORM set_config('cathay.stock_order_id', p_order_id, true);
  PERFORM set_config('cathay.stock_reference', v_ref, true);
  INSERT INTO inventory_levels (sku, location_id, on_hand) VALUES (p_sku, p_location, p_qty)
  ON CONFLICT (sku, location_id) DO UPDATE SET on_hand = inventory_levels.on_hand + EXCLUDED.on_hand, updated_at = now();
  PERFORM set_config('cathay.stock_reason', '', true);
  PERFORM set_config('cathay.stock_reference', '', true);
  INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('stock', p_sku, '{}'::jsonb);
  RETURN true;
END $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS restock_return(text, text, text, text, int)`.execute(db);
  await sql`DROP TRIGGER IF EXISTS refunds_within_captured ON refunds`.execute(db);
  await sql`DROP FUNCTION IF EXISTS refunds_within_captured()`.execute(db);
  await db.schema.dropTable('refunds').ifExists().execute();
  await sql`DROP TRIGGER IF EXISTS return_lines_within_delivered ON return_lines`.execute(db);
  await sql`DROP FUNCTION IF EXISTS return_lines_within_delivered()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS order_line_returned_units(text, int)`.execute(db);
  await db.schema.dropTable('return_lines').ifExists().execute();
  await db.schema.dropTable('returns').ifExists().execute();
  // The 0030 trigger body without the return rule, and the 0001 reasons (fails while 'return' rows exist, as it should).
  await sql`
CREATE OR REPLACE FUNCTION stock_ledger_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_reason text := nullif(current_setting('cathay.stock_reason', true), '');
  d_on_hand int;
  d_reserved int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    d_on_hand := NEW.on_hand;
    d_reserved := NEW.reserved;
  ELSE
    IF NEW.sku IS DISTINCT FROM OLD.sku OR NEW.location_id IS DISTINCT FROM OLD.location_id THEN
      RAISE EXCEPTION 'inventory_levels keys are immutable';
    END IF;
    d_on_hand := NEW.on_hand - OLD.on_hand;
    d_reserved := NEW.reserved - OLD.reserved;
  END IF;
  IF d_on_hand = 0 AND d_reserved = 0 THEN
    RETURN NEW;
  END IF;
  IF v_reason IS NULL THEN
    RAISE EXCEPTION 'stock change without a reason: SET LOCAL cathay.stock_reason first'
      USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO stock_movements (sku, location_id, delta_on_hand, delta_reserved, reason, order_id, reference)
  VALUES (NEW.sku, NEW.location_id, d_on_hand, d_reserved, v_reason,
          nullif(current_setting('cathay.stock_order_id', true), ''),
          nullif(current_setting('cathay.stock_reference', true), ''));
  RETURN NEW;
END $$`.execute(db);
  await sql`ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check`.execute(db);
  await sql`ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check
    CHECK (reason IN ('reserve', 'release', 'commit', 'adjust', 'sync'))`.execute(db);
}
