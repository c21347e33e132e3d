import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations';

function migrator<DB>(db: Kysely<DB>) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
    // Migration names carry a number range per area (catalog 0010–, inventory 0030–, orders 0040–…),
    // so work landing in parallel is applied in landing order, not name order: a database migrated
    // before 0010 landed must still take it after 0030. Each migration is independent of the
    // other areas' ones, which is what makes that safe.
    allowUnorderedMigrations: true,
  });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed`, { cause: result.error });
  }
  return result;
}

/** Applies every pending migration. Safe to run concurrently (Kysely takes a lock) and repeatedly. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateToLatest());
}

export async function migrateDown<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  return check(await migrator(db).migrateDown());
}
