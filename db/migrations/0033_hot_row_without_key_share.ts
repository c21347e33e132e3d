import { type Kysely, sql } from 'kysely';

/**
 * Hot SKUs, continued (bench/inventory). The foreign keys from `stock_movements` and
 * `reservations` to `inventory_levels` made every reservation take a FOR KEY SHARE lock on the
 * stock row it had just updated — an extra tuple lock, page write and WAL record under the hot
 * row lock, on every reservation (measured: ~30% of hot-SKU throughput). The same integrity is
 * kept with checks that cost nothing on that path:
 *
 * - a ledger row can only be written by the ledger trigger, for the level row that fired it
 *   (a direct INSERT, at trigger depth 0, is refused), or by reserve_stock's fast path for the
 *   level row it updates in the same statement (0032) — so it always references an existing level;
 * - a reservation written by anyone but reserve_stock is checked to reference an existing level
 *   (reserve_stock only writes reservations for the level row it has just updated and locked);
 * - a level row with ledger rows or reservations cannot be deleted (what ON DELETE RESTRICT did);
 *   keys of a level row were already immutable (0030).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_level_fk`.execute(db);
  await sql`ALTER TABLE reservations DROP CONSTRAINT reservations_level_fk`.execute(db);

  await sql`
CREATE FUNCTION stock_movements_direct_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movements is written by the ledger trigger of inventory_levels only'
    USING ERRCODE = 'insufficient_privilege';
END $$`.execute(db);
  await sql`CREATE TRIGGER stock_movements_ledger_only BEFORE INSERT ON stock_movements
    FOR EACH ROW WHEN (pg_trigger_depth() < 1 AND current_setting('cathay.ledger_written', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION stock_movements_direct_insert()`.execute(db);

  await sql`
CREATE FUNCTION reservations_level_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM inventory_levels WHERE sku = NEW.sku AND location_id = NEW.location_id) THEN
    RAISE EXCEPTION 'reservation for unknown stock row (%, %)', NEW.sku, NEW.location_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$`.execute(db);
  await sql`CREATE TRIGGER reservations_level_exists BEFORE INSERT OR UPDATE OF sku, location_id ON reservations
    FOR EACH ROW WHEN (current_setting('cathay.stock_fn', true) IS DISTINCT FROM 'reserve_stock')
    EXECUTE FUNCTION reservations_level_exists()`.execute(db);

  await sql`
CREATE FUNCTION inventory_levels_delete_restrict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM stock_movements WHERE sku = OLD.sku AND location_id = OLD.location_id)
     OR EXISTS (SELECT 1 FROM reservations WHERE sku = OLD.sku AND location_id = OLD.location_id) THEN
    RAISE EXCEPTION 'stock row (%, %) has ledger rows or reservations and cannot be deleted', OLD.sku, OLD.location_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$`.execute(db);
  await sql`CREATE TRIGGER inventory_levels_delete_restrict BEFORE DELETE ON inventory_levels
    FOR EACH ROW EXECUTE FUNCTION inventory_levels_delete_restrict()`.execute(db);
  // (No extra index for the delete check: levels are never deleted in practice, and the foreign
  // key had none on reservations either — an index would cost every reservation, under the lock.)
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS inventory_levels_delete_restrict ON inventory_levels`.execute(db);
  await sql`DROP FUNCTION IF EXISTS inventory_levels_delete_restrict()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS reservations_level_exists ON reservations`.execute(db);
  await sql`DROP FUNCTION IF EXISTS reservations_level_exists()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS stock_movements_ledger_only ON stock_movements`.execute(db);
  await sql`DROP FUNCTION IF EXISTS stock_movements_direct_insert()`.execute(db);
  await sql`ALTER TABLE reservations ADD CONSTRAINT reservations_level_fk
    FOREIGN KEY (sku, location_id) REFERENCES inventory_levels (sku, location_id)`.execute(db);
  await sql`ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_level_fk
    FOREIGN KEY (sku, location_id) REFERENCES inventory_levels (sku, location_id)`.execute(db);
}
