import { type Kysely, sql } from 'kysely';

/**
 * reserve_stock, faster on hot SKUs (bench/inventory): a popular SKU's row lock is the bottleneck,
 * so the work done while holding it is cut down — same results, same guarantees:
 *
 * - the GUCs and the 'stock' outbox rows are written before the first row lock (on a shortfall
 *   they are rolled back with everything else), in one statement each;
 * - a sku stocked at one location (the common case) takes the fast path: its reservation row is
 *   written before the lock, then one conditional `UPDATE … WHERE on_hand - reserved >= n` —
 *   DESIGN.md's statement, alone — instead of SELECT … FOR UPDATE + aggregate + UPDATE with a
 *   subquery. Skus at several locations keep 0030's lock-all-then-decide path (whole-line
 *   location first, then split);
 * - it is the one writer the reserved = SUM(held) commit check of 0031 trusts (flag
 *   `cathay.stock_fn`, cleared before it returns; a failure rolls the flag back with the rest):
 *   it writes both sides in the same statement, the concurrency tests assert the balance after
 *   every scenario, and the check's row-by-row bookkeeping no longer runs under the hot row lock.
 *   The fast path also writes its ledger row itself, before the lock, with exactly the delta
 *   its UPDATE applies (flag `cathay.ledger_written`, set for that one UPDATE only; the ledger
 *   trigger of 0030 stands aside while it is set and ledgers every other change as before).
 *   (0033 removes the last per-reservation work on the hot row: the foreign keys' KEY SHARE lock.)
 *
 * Lock order is unchanged: lines sorted by sku, rows of a sku in location order, so concurrent
 * multi-line reservations (and sync, which applies rows in the same order) cannot deadlock.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(RESERVE_STOCK_FAST).execute(db);
  // The ledger trigger stands aside only while reserve_stock's fast path has written the row itself.
  await sql`DROP TRIGGER inventory_levels_ledger ON inventory_levels`.execute(db);
  await sql`CREATE TRIGGER inventory_levels_ledger AFTER INSERT OR UPDATE ON inventory_levels FOR EACH ROW
    WHEN (current_setting('cathay.ledger_written', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION stock_ledger_append()`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER inventory_levels_ledger ON inventory_levels`.execute(db);
  await sql`CREATE TRIGGER inventory_levels_ledger AFTER INSERT OR UPDATE ON inventory_levels
    FOR EACH ROW EXECUTE FUNCTION stock_ledger_append()`.execute(db);
  await sql.raw(RESERVE_STOCK_0030).execute(db);
}

const RESERVE_STOCK_FAST = `
CREATE OR REPLACE FUNCTION reserve_stock(p_order_id text, p_skus text[], p_qtys int[], p_expires_at timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  i int;
  v_sku text;
  v_qty int;
  v_left int;
  v_take int;
  v_loc text;
  v_n int;
  v_avail int;
  r record;
  v_alloc jsonb := '[]'::jsonb;
  v_split jsonb := '[]'::jsonb;
  v_done boolean;
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
  -- Everything that does not need a stock row lock happens before the first one is taken.
  PERFORM set_config('cathay.stock_reason', 'reserve', true), set_config('cathay.stock_order_id', p_order_id, true),
          set_config('cathay.stock_reference', '', true), set_config('cathay.stock_fn', 'reserve_stock', true);
  INSERT INTO outbox (topic, aggregate_id, payload) SELECT DISTINCT 'stock', s, '{}'::jsonb FROM unnest(p_skus) s;

  FOR i IN 1 .. array_length(p_skus, 1) LOOP
    v_sku := p_skus[i];
    v_qty := p_qtys[i];
    IF v_qty IS NULL OR v_qty <= 0 THEN
      RAISE EXCEPTION 'reserve_stock: quantity must be positive';
    END IF;
    -- Unlocked look at the sku's locations (a plain read never waits).
    SELECT count(*), min(location_id) INTO v_n, v_loc FROM inventory_levels WHERE sku = v_sku;
    IF v_n = 1 THEN
      -- Fast path, one location: the bare conditional UPDATE of DESIGN.md is the whole decision.
      -- It locks one row, in (sku, location) order like every other writer, so no deadlock; a
      -- failed attempt keeps at most that one lock. (A location row added concurrently is not
      -- visible to this statement: the line is decided on the stock it could see.) Its ledger row
      -- and reservation row are written first, before the lock — the ledger trigger stands aside
      -- for this one UPDATE (cathay.ledger_written) — so the hot row is held for the UPDATE and
      -- the commit only. On a shortfall the RAISE below undoes both rows.
      PERFORM set_config('cathay.ledger_written', 'on', true);
      INSERT INTO stock_movements (sku, location_id, delta_on_hand, delta_reserved, reason, order_id)
      VALUES (v_sku, v_loc, 0, v_qty, 'reserve', p_order_id);
      INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
      VALUES (p_order_id, v_sku, v_loc, v_qty, 'held', p_expires_at)
      ON CONFLICT (order_id, sku, location_id)
      DO UPDATE SET quantity = EXCLUDED.quantity, status = 'held', expires_at = EXCLUDED.expires_at, updated_at = now();
      UPDATE inventory_levels SET reserved = reserved + v_qty, updated_at = now()
       WHERE sku = v_sku AND location_id = v_loc AND on_hand - reserved >= v_qty;
      v_done := FOUND;
      PERFORM set_config('cathay.ledger_written', '', true);  -- every other change is ledgered by the trigger
      IF NOT v_done THEN
        SELECT on_hand - reserved INTO v_avail FROM inventory_levels WHERE sku = v_sku AND location_id = v_loc;
        v_short := v_short || jsonb_build_object('index', i - 1, 'sku', v_sku, 'requested', v_qty, 'available', greatest(coalesce(v_avail, 0), 0));
        CONTINUE;
      END IF;
      v_alloc := v_alloc || jsonb_build_object('line', i - 1, 'sku', v_sku, 'locationId', v_loc, 'quantity', v_qty);
      CONTINUE;
    END IF;
    -- Several locations (or none): lock them all in location order, then decide (see 0030).
    SELECT coalesce(sum(s.on_hand - s.reserved), 0) INTO v_avail
      FROM (SELECT on_hand, reserved FROM inventory_levels WHERE sku = v_sku ORDER BY location_id FOR UPDATE) s;
    IF v_avail < v_qty THEN
      v_short := v_short || jsonb_build_object('index', i - 1, 'sku', v_sku, 'requested', v_qty, 'available', greatest(v_avail, 0));
      CONTINUE;
    END IF;
    -- Prefer the location that can ship the whole line (the fullest such).
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
      v_split := v_split || jsonb_build_object('sku', v_sku, 'locationId', v_loc, 'quantity', v_qty);
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
      v_split := v_split || jsonb_build_object('sku', v_sku, 'locationId', r.location_id, 'quantity', v_take);
      v_left := v_left - v_take;
    END LOOP;
  END LOOP;

  IF jsonb_array_length(v_short) > 0 THEN
    -- Abort the statement: every UPDATE above (and its ledger and outbox rows) is undone.
    RAISE EXCEPTION 'insufficient_stock' USING ERRCODE = 'P0001', DETAIL = v_short::text;
  END IF;

  -- Reservations of the several-location lines (the fast path wrote its own already).
  IF jsonb_array_length(v_split) > 0 THEN
    INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
    SELECT p_order_id, a->>'sku', a->>'locationId', (a->>'quantity')::int, 'held', p_expires_at
      FROM jsonb_array_elements(v_split) a
    ON CONFLICT (order_id, sku, location_id)
    DO UPDATE SET quantity = EXCLUDED.quantity, status = 'held', expires_at = EXCLUDED.expires_at, updated_at = now();
  END IF;

  PERFORM set_config('cathay.stock_fn', '', true);  -- writes after this point are checked again
  RETURN jsonb_build_object('ok', true, 'alreadyReserved', false, 'allocations', v_alloc);
END $$`;

/** The function as 0030 created it (restored by down()). */
const RESERVE_STOCK_0030 = `
CREATE OR REPLACE FUNCTION reserve_stock(p_order_id text, p_skus text[], p_qtys int[], p_expires_at timestamptz)
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
END $$`;
