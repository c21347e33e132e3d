import { type Kysely, sql } from 'kysely';

/**
 * Inventory operations on top of 0030:
 *
 * 1. `reserved` = SUM(held reservations), proven per transaction. 0030 makes the ledger balance
 *    by construction; this makes the other half a database rule too, cheaply and exactly:
 *    every change of `inventory_levels.reserved` and every change of a held reservation adds its
 *    delta to a transaction-local balance per (location, sku) (`cathay.held_balance`, a jsonb in a
 *    GUC, so it is rolled back with its (sub)transaction); deferred constraint triggers refuse the
 *    COMMIT unless every balance is back to zero. By induction from empty tables, reserved equals
 *    the held reservations of every row after every committed transaction — whatever code wrote
 *    them. (Cost: one small jsonb update per changed row; no SUM over the reservations table.)
    The one exception is `reserve_stock` while it runs (the hot path, see 0032): it flags itself
    in `cathay.stock_fn` and is not re-checked row by row — it writes both sides in one statement,
    and the concurrency tests assert reserved = SUM(held) after every scenario it takes part in.
 * 2. Setting stock (ops adjustment, bulk sync): `set_stock_level` sets on_hand under the row lock,
 *    refusing (never clamping) a value below what is reserved; `adjust_stock` wraps it with the
 *    outbox row; `apply_sync_batch` applies a staged range of a bulk sync job in one round trip,
 *    marking each staged row with its outcome in the same transaction (a retried batch changes
 *    nothing twice), locking levels in (sku, location) order like reserve_stock (no deadlock).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  // --- 1. reserved = SUM(held), checked at commit --------------------------------------------
  await sql`
CREATE FUNCTION held_balance_add(p_sku text, p_location text, p_delta int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  -- Location ids never contain '/', so location/sku is an unambiguous key.
  k text := p_location || '/' || p_sku;
  b jsonb := coalesce(nullif(current_setting('cathay.held_balance', true), '')::jsonb, '{}'::jsonb);
  v int;
BEGIN
  IF p_delta = 0 THEN
    RETURN;
  END IF;
  v := coalesce((b ->> k)::int, 0) + p_delta;
  IF v = 0 THEN
    b := b - k;
  ELSE
    b := b || jsonb_build_object(k, v);
  END IF;
  PERFORM set_config('cathay.held_balance', b::text, true);
END $$`.execute(db);

  // balance = Δreserved − Δheld, per (location, sku).
  await sql`
CREATE FUNCTION inventory_levels_held_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM held_balance_add(NEW.sku, NEW.location_id,
    NEW.reserved - CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD.reserved END);
  RETURN NULL;
END $$`.execute(db);
  await sql`
CREATE FUNCTION reservations_held_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'held' THEN
    PERFORM held_balance_add(OLD.sku, OLD.location_id, OLD.quantity);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'held' THEN
    PERFORM held_balance_add(NEW.sku, NEW.location_id, -NEW.quantity);
  END IF;
  RETURN NULL;
END $$`.execute(db);
  await sql`
CREATE FUNCTION held_balance_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  b text := nullif(current_setting('cathay.held_balance', true), '');
BEGIN
  IF b IS NOT NULL AND b::jsonb <> '{}'::jsonb THEN
    RAISE EXCEPTION 'inventory_levels.reserved no longer equals the held reservations (location/sku: delta): %', b
      USING ERRCODE = 'check_violation',
            HINT = 'reserved changes only together with reservations: use reserve_stock, release_stock, commit_stock';
  END IF;
  RETURN NULL;
END $$`.execute(db);

  // Not while reserve_stock runs (see above): the WHEN keeps even the trigger call off its path.
  const notReserving = sql.raw(`current_setting('cathay.stock_fn', true) IS DISTINCT FROM 'reserve_stock'`);
  await sql`CREATE TRIGGER inventory_levels_held_balance_ins AFTER INSERT ON inventory_levels
    FOR EACH ROW WHEN (NEW.reserved <> 0 AND ${notReserving}) EXECUTE FUNCTION inventory_levels_held_balance()`.execute(db);
  await sql`CREATE TRIGGER inventory_levels_held_balance_upd AFTER UPDATE ON inventory_levels
    FOR EACH ROW WHEN (NEW.reserved IS DISTINCT FROM OLD.reserved AND ${notReserving}) EXECUTE FUNCTION inventory_levels_held_balance()`.execute(
    db,
  );
  await sql`CREATE TRIGGER reservations_held_balance AFTER INSERT OR UPDATE OR DELETE ON reservations
    FOR EACH ROW WHEN (${notReserving}) EXECUTE FUNCTION reservations_held_balance()`.execute(db);
  await sql`CREATE CONSTRAINT TRIGGER inventory_levels_held_balance_check_ins AFTER INSERT ON inventory_levels
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.reserved <> 0 AND ${notReserving}) EXECUTE FUNCTION held_balance_check()`.execute(
    db,
  );
  await sql`CREATE CONSTRAINT TRIGGER inventory_levels_held_balance_check_upd AFTER UPDATE ON inventory_levels
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.reserved IS DISTINCT FROM OLD.reserved AND ${notReserving})
    EXECUTE FUNCTION held_balance_check()`.execute(db);
  await sql`CREATE CONSTRAINT TRIGGER reservations_held_balance_check AFTER INSERT OR UPDATE OR DELETE ON reservations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (${notReserving}) EXECUTE FUNCTION held_balance_check()`.execute(db);

  // --- 2. setting stock ------------------------------------------------------------------------
  // Result: { outcome: applied|unchanged|rejected, reason?: unknown_sku|location_required|
  // below_reserved, locationId?, previous?, onHand?, reserved?, locations? }. A missing location
  // means the sku's only location, or p_default_location when it has none; a sku stocked at
  // several locations needs an explicit one (setting "the" stock of one of them would be a guess).
  await sql`
CREATE FUNCTION set_stock_level(p_sku text, p_location text, p_default_location text, p_on_hand int,
                                p_reason text, p_reference text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_loc text := p_location;
  v_locs text[];
  v_old int;
  v_reserved int;
BEGIN
  IF p_on_hand IS NULL OR p_on_hand < 0 THEN
    RAISE EXCEPTION 'set_stock_level: on hand must be a non-negative integer';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM products WHERE sku = p_sku) THEN
    RETURN jsonb_build_object('outcome', 'rejected', 'reason', 'unknown_sku');
  END IF;
  IF v_loc IS NULL THEN
    SELECT array_agg(location_id ORDER BY location_id) INTO v_locs FROM inventory_levels WHERE sku = p_sku;
    IF v_locs IS NULL THEN
      v_loc := p_default_location;
    ELSIF array_length(v_locs, 1) = 1 THEN
      v_loc := v_locs[1];
    ELSE
      RETURN jsonb_build_object('outcome', 'rejected', 'reason', 'location_required', 'locations', to_jsonb(v_locs));
    END IF;
  END IF;
  PERFORM set_config('cathay.stock_reason', p_reason, true);
  PERFORM set_config('cathay.stock_order_id', '', true);
  PERFORM set_config('cathay.stock_reference', coalesce(p_reference, ''), true);

  SELECT on_hand, reserved INTO v_old, v_reserved FROM inventory_levels
   WHERE sku = p_sku AND location_id = v_loc FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO inventory_levels (sku, location_id, on_hand) VALUES (p_sku, v_loc, p_on_hand)
    ON CONFLICT (sku, location_id) DO NOTHING;
    IF FOUND THEN
      RETURN jsonb_build_object('outcome', CASE WHEN p_on_hand = 0 THEN 'unchanged' ELSE 'applied' END,
        'locationId', v_loc, 'previous', 0, 'onHand', p_on_hand, 'reserved', 0);
    END IF;
    -- Someone created the row between our SELECT and INSERT: lock it now.
    SELECT on_hand, reserved INTO v_old, v_reserved FROM inventory_levels
     WHERE sku = p_sku AND location_id = v_loc FOR UPDATE;
  END IF;
  IF p_on_hand < v_reserved THEN
    RETURN jsonb_build_object('outcome', 'rejected', 'reason', 'below_reserved', 'locationId', v_loc,
      'previous', v_old, 'onHand', v_old, 'reserved', v_reserved);
  END IF;
  IF p_on_hand = v_old THEN
    RETURN jsonb_build_object('outcome', 'unchanged', 'locationId', v_loc, 'previous', v_old, 'onHand', v_old, 'reserved', v_reserved);
  END IF;
  UPDATE inventory_levels SET on_hand = p_on_hand, updated_at = now() WHERE sku = p_sku AND location_id = v_loc;
  RETURN jsonb_build_object('outcome', 'applied', 'locationId', v_loc, 'previous', v_old, 'onHand', p_on_hand, 'reserved', v_reserved);
END $$`.execute(db);

  // One ops adjustment: ledgered as 'adjust', one 'stock' outbox row when it changed something.
  await sql`
CREATE FUNCTION adjust_stock(p_sku text, p_location text, p_default_location text, p_on_hand int) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v jsonb := set_stock_level(p_sku, p_location, p_default_location, p_on_hand, 'adjust', NULL);
BEGIN
  IF v ->> 'outcome' = 'applied' THEN
    INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('stock', p_sku, '{}'::jsonb);
  END IF;
  RETURN v;
END $$`.execute(db);

  await db.schema
    .createTable('sync_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('sync_job_rows')
    .addColumn('job_id', 'text', (c) => c.notNull().references('sync_jobs.id').onDelete('cascade'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('on_hand', 'integer', (c) => c.notNull().check(sql`on_hand >= 0`))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome IN ('applied', 'unchanged', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('applied_location_id', 'text')
    .addPrimaryKeyConstraint('sync_job_rows_pk', ['job_id', 'idx'])
    .execute();

  // Applies staged rows [p_from, p_to) of a job. Rows already decided by an earlier attempt are
  // skipped (FOR UPDATE + the outcome filter serialize a retry racing a slow first attempt).
  // Returns the range's totals and up to p_max_rejected of its rejected rows (by index).
  await sql`
CREATE FUNCTION apply_sync_batch(p_job_id text, p_from int, p_to int, p_default_location text, p_max_rejected int)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v jsonb;
  v_skus text[] := '{}';
  v_counts jsonb;
  v_rejected jsonb;
BEGIN
  FOR r IN
    WITH pending AS (
      SELECT s.idx, s.sku, s.location_id, s.on_hand FROM sync_job_rows s
       WHERE s.job_id = p_job_id AND s.idx >= p_from AND s.idx < p_to AND s.outcome IS NULL
       FOR UPDATE
    )
    -- A missing location is resolved once, as the batch starts (the sku's only location, or the
    -- default when it has none; NULL when it has several: set_stock_level then rejects the row).
    -- Rows are applied in (sku, location) order: reserve_stock's lock order, so no deadlock.
    SELECT p.idx, p.sku, p.on_hand, coalesce(p.location_id, res.loc) AS use_loc
      FROM pending p
      CROSS JOIN LATERAL (SELECT CASE count(*) WHEN 0 THEN p_default_location WHEN 1 THEN min(l.location_id) END AS loc
                            FROM inventory_levels l WHERE l.sku = p.sku) res
     ORDER BY p.sku, use_loc NULLS FIRST, p.idx
  LOOP
    v := set_stock_level(r.sku, r.use_loc, p_default_location, r.on_hand, 'sync',
                         'sync:' || p_job_id || ':' || r.idx);
    UPDATE sync_job_rows SET outcome = v ->> 'outcome', reason = v ->> 'reason', applied_location_id = v ->> 'locationId'
     WHERE job_id = p_job_id AND idx = r.idx;
    IF v ->> 'outcome' = 'applied' AND NOT r.sku = ANY (v_skus) THEN
      v_skus := v_skus || r.sku;
    END IF;
  END LOOP;

  INSERT INTO outbox (topic, aggregate_id, payload) SELECT 'stock', s, '{}'::jsonb FROM unnest(v_skus) s;

  SELECT jsonb_build_object(
           'processed', count(*),
           'applied', count(*) FILTER (WHERE outcome = 'applied'),
           'unchanged', count(*) FILTER (WHERE outcome = 'unchanged'),
           'rejectedCount', count(*) FILTER (WHERE outcome = 'rejected'))
    INTO v_counts
    FROM sync_job_rows WHERE job_id = p_job_id AND idx >= p_from AND idx < p_to;
  SELECT coalesce(jsonb_agg(jsonb_build_object('index', x.idx, 'sku', x.sku, 'reason', x.reason) ORDER BY x.idx), '[]'::jsonb)
    INTO v_rejected
    FROM (SELECT idx, sku, reason FROM sync_job_rows
           WHERE job_id = p_job_id AND idx >= p_from AND idx < p_to AND outcome = 'rejected'
           ORDER BY idx LIMIT greatest(p_max_rejected, 0)) x;
  RETURN v_counts || jsonb_build_object('rejected', v_rejected);
END $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS apply_sync_batch(text, int, int, text, int)`.execute(db);
  await db.schema.dropTable('sync_job_rows').ifExists().execute();
  await db.schema.dropTable('sync_jobs').ifExists().execute();
  await sql`DROP FUNCTION IF EXISTS adjust_stock(text, text, text, int)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS set_stock_level(text, text, text, int, text, text)`.execute(db);
  await sql`DROP TRIGGER IF EXISTS reservations_held_balance_check ON reservations`.execute(db);
  await sql`DROP TRIGGER IF EXISTS inventory_levels_held_balance_check_upd ON inventory_levels`.execute(db);
  await sql`DROP TRIGGER IF EXISTS inventory_levels_held_balance_check_ins ON inventory_levels`.execute(db);
  await sql`DROP TRIGGER IF EXISTS reservations_held_balance ON reservations`.execute(db);
  await sql`DROP TRIGGER IF EXISTS inventory_levels_held_balance_upd ON inventory_levels`.execute(db);
  await sql`DROP TRIGGER IF EXISTS inventory_levels_held_balance_ins ON inventory_levels`.execute(db);
  await sql`DROP FUNCTION IF EXISTS held_balance_check()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS reservations_held_balance()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS inventory_levels_held_balance()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS held_balance_add(text, text, int)`.execute(db);
}
