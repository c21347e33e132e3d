import { loadConfig } from '../config';
import { createDb } from './connection';
import { ensureDatabase } from './ensure-database';
import { migrateDown, migrateToLatest } from './migrate';

async function main() {
  const direction = process.argv[2] ?? 'up';
  if (direction !== 'up' && direction !== 'down') throw new Error('usage: migrate-cli up|down');
  const config = loadConfig();
  await ensureDatabase(config.DATABASE_URL);
  const db = createDb({ connectionString: config.DATABASE_URL, max: 1 });
  try {
    const result = direction === 'up' ? await migrateToLatest(db) : await migrateDown(db);
    for (const r of result.results ?? []) console.log(`${r.direction} ${r.migrationName}: ${r.status}`);
    if (!result.results?.length) console.log('nothing to migrate');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
