/**
 * Start-up steps other parts of the system contribute to `npm run dev` (seeding the catalog,
 * building the search index, starting long-running workflows). Each step must be idempotent:
 * `npm run dev` twice in a row does the work once.
 */
import { seedCatalog } from '../db/seed';
import { createTemporalClient, temporalDataConverter } from '../temporal/client';
import { ensureBackgroundWorkflows } from '../temporal/ensure-background';
import { buildSearchIndexStep, liveIndexSize } from './search-steps';
import type { StackStep } from './step';

/** The same routine every sync worker runs at start; here so the dev log shows what runs. */
const backgroundWorkflows: StackStep = {
  name: 'long-running workflows and schedules (search-sync, inventory-hold-sweep)',
  async run({ config, log }) {
    const { client, connection } = createTemporalClient({
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: temporalDataConverter(config),
    });
    try {
      const r = await ensureBackgroundWorkflows(client, config, () => liveIndexSize(config));
      log(
        `search sync running (run ${r.searchSyncRunId}); inventory-hold-sweep schedule ${r.holdSweep} (every ${config.HOLD_SWEEP_INTERVAL_SECONDS}s)`,
      );
    } finally {
      await connection.close();
    }
  },
};

export const stackSteps: { beforeServices: StackStep[]; afterServices: StackStep[] } = {
  /** After migrations, before the worker and the API start. */
  beforeServices: [
    {
      name: 'seeding the catalog (only when it is empty)',
      async run({ config, db, log }) {
        const result = await seedCatalog(db, {
          count: config.SEED_PRODUCTS,
          concurrency: 2,
          analyze: true,
          onProgress: (done, total) => {
            if (done === total || done % 20_000 === 0) log(`  seeded ${done}/${total} products`);
          },
        });
        log(result.seeded ? `  seeded ${result.products} products in ${result.elapsedMs} ms` : '  catalog already seeded');
      },
    },
  ],
  /** Once the API is ready (Temporal reachable, worker polling). */
  afterServices: [buildSearchIndexStep, backgroundWorkflows],
};
