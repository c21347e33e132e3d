/**
 * A Postgres connection reset while a transaction holds its client between statements fails that
 * transaction and nothing else (chaos scenario 8: it used to be an unhandled 'error' event that
 * exited the worker). Through the fault proxy, a real reset.
 */
import { sql } from 'kysely';
import { createDb } from '../../db/connection';
import { sleep } from '../../stack/processes';
import { startFaultProxy } from '../support/fault-proxy';

test('a cut under a held transaction rejects it, the process lives, the pool recovers', async () => {
  const direct = new URL(process.env.DATABASE_URL ?? '');
  const proxy = await startFaultProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const db = createDb({ connectionString: proxy.url(direct.toString()), max: 2 });
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onCrash);
  try {
    const tx = db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      proxy.cut(); // the socket under the held client is reset between statements
      await sleep(300);
      await sql`SELECT 2`.execute(trx);
    });
    await expect(tx).rejects.toThrow();
    proxy.restore();
    const { rows } = await sql<{ n: number }>`SELECT 3 AS n`.execute(db);
    expect(rows[0]?.n).toBe(3);
    expect(crashes).toEqual([]);
  } finally {
    process.off('uncaughtException', onCrash);
    await db.destroy();
    await proxy.close();
  }
});
