/**
 * destroy() ends the pool even when Kysely never ran a query on it (issue 13's leak: pools used
 * only through poolOf() kept idle sockets and timers, so jest's workers could not exit).
 */
import { createDb, poolOf } from '../../db/connection';

test('a Db used only through its pool releases every connection on destroy()', async () => {
  const db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 3 });
  const pool = poolOf(db);
  if (!pool) throw new Error('no pool');
  await Promise.all([pool.query('SELECT pg_sleep(0.05)'), pool.query('SELECT 1'), pool.query('SELECT 2')]);
  expect(pool.totalCount).toBeGreaterThan(0);
  await db.destroy();
  expect(pool.totalCount).toBe(0);
  expect(pool.ended).toBe(true);
});

test('a Db used through Kysely is destroyed once, without "end called more than once"', async () => {
  const db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
  await db.selectFrom('products').select('id').limit(1).execute();
  await expect(db.destroy()).resolves.toBeUndefined();
  expect(poolOf(db)?.ended).toBe(true);
});
