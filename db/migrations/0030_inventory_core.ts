import { type Kysely, sql } from 'kysely';

/**
 * Inventory core, in the database because that is where it can be made impossible to get wrong:
 *
 * 1. The ledger is written by construction. Every INSERT/UPDATE of `inventory_levels` appends a
 *    `stock_movements` row with the deltas, from a trigger; the caller must name the reason with
 *    `SET LOCAL cathay.stock_reason` (and optionally `cathay.stock_order_id`,
 *    `cathay.stock_reference`), or the change is refused. The ledger is append-only (UPDATE and
 *    DELETE refused). So for every (sku, location) SUM(ledger) = level, always — no code path can
 *    forget the ledger.
 * 2. Reserving, releasing and committing are single server-side functions: one round trip per
 *    call, so the hot row lock of a popular SKU is held for microseconds, not for several network
 *    round trips. Reserving is the conditional `UPDATE … WHERE on_hand - reserved >= n` of
 *    DESIGN.md per line (it can never oversell: the re-check happens under the row lock), all
 *    lines or none, idempotent per order (an advisory lock on the order id serializes a retried
 *    activity with a still-running first attempt; held rows mean "already done").
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
CREATE FUNCTION stock_ledger_append() RETURNS trigger LANGUAGE plpgsql AS $$
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

  await sql`CREATE TRIGGER inventory_levels_ledger AFTER INSERT OR UPDATE ON inventory_levels
    FOR EACH ROW EXECUTE FUNCTION stock_ledger_append()`.execute(db);

  await sql`
CREATE FUNCTION stock_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movements is append-only';
END $$`.execute(db);
  await sql`CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_ledger_append_only()`.execute(db);

  // reserve_stock: lines must be given sorted by sku (the caller sorts) so concurrent
  // multi-line reservations take row locks in one global order and cannot deadlock.
  await sql`
CREATE FUNCTION reserve_stock(p_order_id text, p_skus text[], p_qtys int[], p_expires_at timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  i int;
  v_sku text;
  v_qty int;
  v_left int;
  v_take int;
  v_loc text;
  v_avail int;
  r record;
  v_alloc jsonb := '[]'::jsonb;
  v_short jsonb := '[]'::jsonb;
BEGIN
  IF p_skus IS NULL OR array_length(p_skus, 1) IS NULL THEN
    RAISE EXCEPTION 'reserve_stock: no lines';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('reserve:' || p_order_id, 0));
  IF EXISTS (SELECT 1 FROM reservations WHERE order_id = p_order_id AND status IN ('held', 'committed')) THEN
    RETURN jsonb_build_object('ok', true, 'alreadyReserved', true, 'allocations',
      (SELECT jsonb_agg(jsonb_build_object('sku', sku, 'locationId', location_id, 'quantity', quantity) ORDER BY sku, location_id)
         FROM reservations WHERE order_id = p_order_id AND status IN ('held', 'committed')));
  END IF;
  PERFORM set_config('cathay.stock_reason', 'reserve', true);
  PERFORM set_config('cathay.stock_order_id', p_order_id, true);
  PERFORM set_config('cathay.stock_reference', '', true);

  FOR i IN 1 .. array_length(p_skus, 1) LOOP
    v_sku := p_skus[i];
    v_qty := p_qtys[i];
    IF v_qty IS NULL OR v_qty <= 0 THEN
      RAISE EXCEPTION 'reserve_stock: quantity must be positive';
    END IF;
    -- Lock every location row of the sku, in location order, then decide. (A "try one location,
    -- then fall back" fast path deadlocks: a failed conditional UPDATE keeps its row lock, and
    -- the fallback then waits on rows another transaction locked in a different order.) Lines
    -- come sorted by sku and locations are locked in location order: one global lock order.
    SELECT coalesce(sum(s.on_hand - s.reserved), 0) INTO v_avail
      FROM (SELECT on_hand, reserved FROM inventory_levels WHERE sku = v_sku ORDER BY location_id FOR UPDATE) s;
    IF v_avail < v_qty THEN
      v_short := v_short || jsonb_build_object('index', i - 1, 'sku', v_sku, 'requested', v_qty, 'available', greatest(v_avail, 0));
      CONTINUE;
    END IF;
    -- Prefer the location that can ship the whole line (the fullest such); the conditional
    -- UPDATE of DESIGN.md stays as the last word on availability.
    v_loc := NULL;
    UPDATE inventory_levels l SET reserved = l.reserved + v_qty, updated_at = now()
     WHERE l.sku = v_sku
       AND l.location_id = (SELECT c.location_id FROM inventory_levels c
                             WHERE c.sku = v_sku AND c.on_hand - c.reserved >= v_qty
                             ORDER BY c.on_hand - c.reserved DESC, c.location_id LIMIT 1)
       AND l.on_hand - l.reserved >= v_qty
    RETURNING l.location_id INTO v_loc;
    IF v_loc IS NOT NULL THEN
      v_alloc := v_alloc || jsonb_build_object('line', i - 1, 'sku', v_sku, 'locationId', v_loc, 'quantity', v_qty);
      CONTINUE;
    END IF;
    -- No single location can: split, fullest first.
    v_left := v_qty;
    FOR r IN SELECT location_id, on_hand - reserved AS avail FROM inventory_levels
              WHERE sku = v_sku AND on_hand - reserved > 0
              ORDER BY on_hand - reserved DESC, location_id LOOP
      EXIT WHEN v_left = 0;
      v_take := least(v_left, r.avail);
      UPDATE inventory_levels SET reserved = reserved + v_take, updated_at = now()
       WHERE sku = v_sku AND location_id = r.location_id AND on_hand - reserved >= v_take;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'reserve_stock: level changed under lock';  -- cannot happen: the rows are locked
      END IF;
      v_alloc := v_alloc || jsonb_build_object('line', i - 1, 'sku', v_sku, 'locationId', r.location_id, 'quantity', v_take);
      v_left := v_left - v_take;
    END LOOP;
  END LOOP;

  IF jsonb_array_length(v_short) > 0 THEN
    -- Abort the statement: every UPDATE above (and its ledger rows) is undone. All or nothing.
    RAISE EXCEPTION 'insufficient_stock' USING ERRCODE = 'P0001', DETAIL = v_short::text;
  END IF;

  INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
  SELECT p_order_id, a->>'sku', a->>'locationId', (a->>'quantity')::int, 'held', p_expires_at
    FROM jsonb_array_elements(v_alloc) a
  ON CONFLICT (order_id, sku, location_id)
  DO UPDATE SET quantity = EXCLUDED.quantity, status = 'held', expires_at = EXCLUDED.expires_at, updated_at = now();

  INSERT INTO outbox (topic, aggregate_id, payload)
  SELECT DISTINCT 'stock', a->>'sku', '{}'::jsonb FROM jsonb_array_elements(v_alloc) a;

  RETURN jsonb_build_object('ok', true, 'alreadyReserved', false, 'allocations', v_alloc);
END $$`.execute(db);

  // release_stock: every held reservation of the order back to available. Idempotent.
  await sql`
CREATE FUNCTION release_stock(p_order_id text, p_reason text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n int := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('reserve:' || p_order_id, 0));
  PERFORM set_config('cathay.stock_reason', 'release', true);
  PERFORM set_config('cathay.stock_order_id', p_order_id, true);
  -- The release reason (payment window expired, cancelled, …) belongs to the order's timeline;
  -- the ledger's reason is 'release'. p_reason is kept in the signature for logs and callers.
  PERFORM set_config('cathay.stock_reference', '', true);
  -- Rows in (sku, location) order: the same lock order as reserve_stock, so no deadlock.
  FOR r IN SELECT id, sku, location_id, quantity FROM reservations
            WHERE order_id = p_order_id AND status = 'held'
            ORDER BY sku, location_id FOR UPDATE LOOP
    UPDATE reservations SET status = 'released', updated_at = now() WHERE id = r.id;
    UPDATE inventory_levels SET reserved = reserved - r.quantity, updated_at = now()
     WHERE sku = r.sku AND location_id = r.location_id;
    INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('stock', r.sku, '{}'::jsonb);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$`.execute(db);

  // commit_stock: at shipment the held units leave the building: on_hand and reserved both drop.
  await sql`
CREATE FUNCTION commit_stock(p_order_id text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n int := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('reserve:' || p_order_id, 0));
  PERFORM set_config('cathay.stock_reason', 'commit', true);
  PERFORM set_config('cathay.stock_order_id', p_order_id, true);
  PERFORM set_config('cathay.stock_reference', '', true);
  FOR r IN SELECT id, sku, location_id, quantity FROM reservations
            WHERE order_id = p_order_id AND status = 'held'
            ORDER BY sku, location_id FOR UPDATE LOOP
    UPDATE reservations SET status = 'committed', updated_at = now() WHERE id = r.id;
    UPDATE inventory_levels SET on_hand = on_hand - r.quantity, reserved = reserved - r.quantity, updated_at = now()
     WHERE sku = r.sku AND location_id = r.location_id;
    INSERT INTO outbox (topic, aggregate_id, payload) VALUES ('stock', r.sku, '{}'::jsonb);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS commit_stock(text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS release_stock(text, text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS reserve_stock(text, text[], int[], timestamptz)`.execute(db);
  await sql`DROP TRIGGER IF EXISTS stock_movements_append_only ON stock_movements`.execute(db);
  await sql`DROP FUNCTION IF EXISTS stock_ledger_append_only()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS inventory_levels_ledger ON inventory_levels`.execute(db);
  await sql`DROP FUNCTION IF EXISTS stock_ledger_append()`.execute(db);
}
