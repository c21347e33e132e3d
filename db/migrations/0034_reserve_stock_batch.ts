import { type Kysely, sql } from 'kysely';

/**
 * reserve_stock_batch: many orders' reservations in one transaction (bench/inventory, issue #5).
 *
 * Why: on a hot SKU every reservation queues for the same row lock, and on a 2-core box each
 * one-order transaction costs ~4× the bare conditional UPDATE in CPU (round trip, plpgsql call,
 * three inserts, the commit and its WAL flush, the outbox NOTIFY). The reservation batcher in
 * `db/queries/reservation-batcher.ts` hands the orders that arrived while the previous batch was
 * in flight to this function at once: one round trip, one lock of each stock row, one UPDATE of
 * it with the batch's total, one commit, one outbox row per SKU — per-order work is the
 * reservation and ledger rows only.
 *
 * Same guarantees as reserve_stock (0030/0032), order by order:
 * - all lines of an order or none; a short order reports every short line (index into its
 *   sorted lines, requested, available) and leaves the stock as it was for the orders after it;
 * - allocation: the fullest location that can ship the whole line (ties: location order),
 *   otherwise split fullest first;
 * - idempotent per order id: an order that already holds (or committed) stock gets what it holds
 *   with alreadyReserved = true, also when it appears twice in one batch; the per-order advisory
 *   lock serializes a retry racing a slow first attempt in another batch or process;
 * - lock order: advisory locks in hash order, then every stock row of every SKU involved in one
 *   `SELECT … ORDER BY sku, location_id FOR UPDATE` — the (sku, location) order of every other
 *   writer — so batches, single reservations, releases, commits and syncs cannot deadlock;
 * - the decision is made on the locked rows (re-read after any wait), the UPDATE keeps the
 *   conditional `on_hand - reserved >= n` as the last word and the function fails loudly if a
 *   row did not take its share (cannot happen under the locks);
 * - ledger: one 'reserve' movement per (order, sku, location), written by the function itself
 *   like 0032's fast path (`cathay.ledger_written`), reserved = SUM(held) by construction
 *   (`cathay.stock_fn` — the same flag reserve_stock sets; cleared before returning).
 *
 * Input: parallel arrays — orders (id, hold expiry) and their lines flattened (1-based order
 * index, sku, quantity), each order's lines sorted by sku with duplicates merged (the caller
 * normalizes, as it does for reserve_stock). Output: a JSON array, one result per order, in input
 * order: {ok:true, alreadyReserved, allocations:[{line, sku, locationId, quantity}]} or
 * {ok:false, shortfalls:[{index, sku, requested, available}]}.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(RESERVE_STOCK_BATCH).execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS reserve_stock_batch(text[], timestamptz[], int[], text[], int[])`.execute(db);
}

const RESERVE_STOCK_BATCH = `
CREATE OR REPLACE FUNCTION reserve_stock_batch(
  p_order_ids text[], p_expires timestamptz[], p_line_order int[], p_line_skus text[], p_line_qtys int[])
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_n int := coalesce(array_length(p_order_ids, 1), 0);
  v_m int := coalesce(array_length(p_line_order, 1), 0);
  v_out jsonb[] := '{}';
  v_held jsonb;                 -- order id -> allocations it already holds (or took in this batch)
  k_sku text[];                 -- the locked stock rows, in lock order
  k_loc text[];
  k_avail int[];                -- their availability as this batch goes
  a_order int[] := '{}';        -- the batch's allocations: order index, stock row index, quantity
  a_key int[] := '{}';
  a_qty int[] := '{}';
  t_line int[];                 -- one order's tentative allocations
  t_key int[];
  t_qty int[];
  v_short jsonb;
  v_alloc jsonb;
  v_held_alloc jsonb;
  v_keys_used int[] := '{}';
  v_pos int[];
  v_local int[];
  o int;
  li int;                       -- cursor into the flattened lines
  ln int;                       -- line index within its order
  j int;
  k int;
  v_sku text;
  v_qty int;
  v_total bigint;               -- a sum over locations may pass 2^31
  v_best int;
  v_left int;
  v_take int;
  v_rows int;
BEGIN
  IF v_n = 0 THEN
    RETURN '[]'::jsonb;
  END IF;
  -- The caller (the batcher) has validated every order; these checks only keep a wrong caller
  -- from writing nonsense, in one statement.
  IF coalesce(array_length(p_expires, 1), 0) <> v_n OR coalesce(array_length(p_line_skus, 1), 0) <> v_m
     OR coalesce(array_length(p_line_qtys, 1), 0) <> v_m
     OR EXISTS (SELECT 1 FROM unnest(p_line_qtys, p_line_order) AS t(q, x)
                 WHERE q IS NULL OR q <= 0 OR x IS NULL OR x < 1 OR x > v_n) THEN
    RAISE EXCEPTION 'reserve_stock_batch: malformed input (array lengths, quantities or order indexes)';
  END IF;

  PERFORM pg_advisory_xact_lock(h)
     FROM (SELECT DISTINCT hashtextextended('reserve:' || id, 0) AS h FROM unnest(p_order_ids) id ORDER BY 1) x;

  SELECT coalesce(jsonb_object_agg(r.order_id, r.allocs), '{}'::jsonb) INTO v_held
    FROM (SELECT order_id,
                 jsonb_agg(jsonb_build_object('sku', sku, 'locationId', location_id, 'quantity', quantity) ORDER BY sku, location_id) AS allocs
            FROM reservations
           WHERE order_id = ANY (p_order_ids) AND status IN ('held', 'committed')
           GROUP BY order_id) r;

  SELECT coalesce(array_agg(l.sku), '{}'), coalesce(array_agg(l.location_id), '{}'), coalesce(array_agg(l.on_hand - l.reserved), '{}')
    INTO k_sku, k_loc, k_avail
    FROM (SELECT sku, location_id, on_hand, reserved FROM inventory_levels
           WHERE sku = ANY (ARRAY(SELECT DISTINCT s FROM unnest(p_line_skus, p_line_order) AS t(s, x)
                                   WHERE NOT v_held ? p_order_ids[x]))
           ORDER BY sku, location_id
             FOR UPDATE) l;

  li := 1;
  FOR o IN 1 .. v_n LOOP
    IF v_held ? p_order_ids[o] THEN
      v_out := v_out || jsonb_build_object('ok', true, 'alreadyReserved', true, 'allocations', v_held -> p_order_ids[o]);
      WHILE li <= v_m AND p_line_order[li] = o LOOP li := li + 1; END LOOP;
      CONTINUE;
    END IF;
    t_line := '{}'; t_key := '{}'; t_qty := '{}';
    v_short := '[]'::jsonb;
    ln := 0;
    WHILE li <= v_m AND p_line_order[li] = o LOOP
      v_sku := p_line_skus[li];
      v_qty := p_line_qtys[li];
      v_pos := coalesce(array_positions(k_sku, v_sku), '{}');
      v_total := 0;
      FOREACH k IN ARRAY v_pos LOOP v_total := v_total + greatest(k_avail[k], 0); END LOOP;
      IF v_total < v_qty THEN
        v_short := v_short || jsonb_build_object('index', ln, 'sku', v_sku, 'requested', v_qty, 'available', v_total);
      ELSE
        v_best := NULL;
        FOREACH k IN ARRAY v_pos LOOP
          IF k_avail[k] >= v_qty AND (v_best IS NULL OR k_avail[k] > k_avail[v_best]) THEN v_best := k; END IF;
        END LOOP;
        IF v_best IS NOT NULL THEN
          t_line := t_line || ln; t_key := t_key || v_best; t_qty := t_qty || v_qty;
        ELSE
          -- No single location can: split, fullest first (ties: location order).
          v_local := ARRAY(SELECT greatest(k_avail[p], 0) FROM unnest(v_pos) p);
          v_left := v_qty;
          WHILE v_left > 0 LOOP
            v_best := NULL;
            FOR j IN 1 .. array_length(v_pos, 1) LOOP
              IF v_local[j] > 0 AND (v_best IS NULL OR v_local[j] > v_local[v_best]) THEN v_best := j; END IF;
            END LOOP;
            v_take := least(v_left, v_local[v_best]);
            t_line := t_line || ln; t_key := t_key || v_pos[v_best]; t_qty := t_qty || v_take;
            v_local[v_best] := 0;
            v_left := v_left - v_take;
          END LOOP;
        END IF;
      END IF;
      ln := ln + 1;
      li := li + 1;
    END LOOP;

    IF jsonb_array_length(v_short) > 0 THEN
      v_out := v_out || jsonb_build_object('ok', false, 'shortfalls', v_short);
      CONTINUE;
    END IF;
    IF ln = 0 THEN
      RAISE EXCEPTION 'reserve_stock: no lines';
    END IF;
    v_alloc := '[]'::jsonb;
    v_held_alloc := '[]'::jsonb;
    FOR j IN 1 .. coalesce(array_length(t_key, 1), 0) LOOP
      k := t_key[j];
      k_avail[k] := k_avail[k] - t_qty[j];
      a_order := a_order || o; a_key := a_key || k; a_qty := a_qty || t_qty[j];
      IF NOT k = ANY (v_keys_used) THEN v_keys_used := v_keys_used || k; END IF;
      v_alloc := v_alloc || jsonb_build_object('line', t_line[j], 'sku', k_sku[k], 'locationId', k_loc[k], 'quantity', t_qty[j]);
      v_held_alloc := v_held_alloc || jsonb_build_object('sku', k_sku[k], 'locationId', k_loc[k], 'quantity', t_qty[j]);
    END LOOP;
    -- A second copy of this order later in the batch is a retry: it gets what this one took.
    v_held := v_held || jsonb_build_object(p_order_ids[o], v_held_alloc);
    v_out := v_out || jsonb_build_object('ok', true, 'alreadyReserved', false, 'allocations', v_alloc);
  END LOOP;

  IF array_length(a_key, 1) > 0 THEN
    PERFORM set_config('cathay.stock_reason', 'reserve', true), set_config('cathay.stock_order_id', '', true),
            set_config('cathay.stock_reference', '', true), set_config('cathay.stock_fn', 'reserve_stock', true),
            set_config('cathay.ledger_written', 'on', true);
    INSERT INTO stock_movements (sku, location_id, delta_on_hand, delta_reserved, reason, order_id)
    SELECT k_sku[t.k], k_loc[t.k], 0, sum(t.q), 'reserve', p_order_ids[t.o]
      FROM unnest(a_order, a_key, a_qty) AS t(o, k, q)
     GROUP BY t.o, t.k;
    INSERT INTO reservations (order_id, sku, location_id, quantity, status, expires_at)
    SELECT p_order_ids[t.o], k_sku[t.k], k_loc[t.k], sum(t.q), 'held', p_expires[t.o]
      FROM unnest(a_order, a_key, a_qty) AS t(o, k, q)
     GROUP BY t.o, t.k
    ON CONFLICT (order_id, sku, location_id)
    DO UPDATE SET quantity = EXCLUDED.quantity, status = 'held', expires_at = EXCLUDED.expires_at, updated_at = now();
    UPDATE inventory_levels l SET reserved = l.reserved + d.q, updated_at = now()
      FROM (SELECT k_sku[t.k] AS sku, k_loc[t.k] AS loc, sum(t.q)::int AS q FROM unnest(a_key, a_qty) AS t(k, q) GROUP BY t.k) d
     WHERE l.sku = d.sku AND l.location_id = d.loc AND l.on_hand - l.reserved >= d.q;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows <> array_length(v_keys_used, 1) THEN
      RAISE EXCEPTION 'reserve_stock_batch: level changed under lock';  -- cannot happen: the rows are locked
    END IF;
    PERFORM set_config('cathay.ledger_written', '', true);
    INSERT INTO outbox (topic, aggregate_id, payload)
    SELECT DISTINCT 'stock', k_sku[x], '{}'::jsonb FROM unnest(v_keys_used) x;
    PERFORM set_config('cathay.stock_fn', '', true);  -- writes after this point are checked again
  END IF;

  RETURN to_jsonb(v_out);
END $$`;
