/**
 * Every migration, in order. A static map (not a folder scan) so the same list works under tsx,
 * jest and the compiled build. Add a new file and one line here; never edit a landed migration.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0010 from './0010_catalog';
import * as m0030 from './0030_inventory_core';
import * as m0031 from './0031_inventory_ops';
import * as m0032 from './0032_reserve_fast_path';
import * as m0033 from './0033_hot_row_without_key_share';
import * as m0034 from './0034_reserve_stock_batch';
import * as m0040 from './0040_order_notifications';
import * as m0050 from './0050_returns';
import * as m0051 from './0051_order_email_outbox';
import * as m0052 from './0052_order_email_claims';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0010_catalog': m0010,
  '0030_inventory_core': m0030,
  '0031_inventory_ops': m0031,
  '0032_reserve_fast_path': m0032,
  '0033_hot_row_without_key_share': m0033,
  '0034_reserve_stock_batch': m0034,
  '0040_order_notifications': m0040,
  '0050_returns': m0050,
  '0051_order_email_outbox': m0051,
  '0052_order_email_claims': m0052,
};
