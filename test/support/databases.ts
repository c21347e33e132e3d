/**
 * A test file's own Postgres database, for a file whose subject is the whole database (the seeder)
 * or a process that drains it (the search sync): dropped if a crashed run left it, created and
 * migrated like the run's own.
 */
import { createDb, type Db } from '../../db/connection';
import { dropDatabase, ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';

/** Creates `url` afresh and migrates it; the caller destroys the pool and drops it when done. */
export async function freshDatabase(url: string, max = 3): Promise<Db> {
  await dropDatabase(url);
  await ensureDatabase(url);
  const db = createDb({ connectionString: url, max });
  await migrateToLatest(db);
  return db;
}
