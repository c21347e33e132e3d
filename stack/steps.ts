/**
 * Start-up steps other parts of the system contribute to `npm run dev` (seeding the catalog,
 * building the search index, starting long-running workflows). Each step must be idempotent:
 * `npm run dev` twice in a row does the work once.
 */
import type { Config } from '../config';
import type { Db } from '../db/connection';
import { createTemporalClient } from '../temporal/client';
import { ensureHoldSweepSchedule } from '../temporal/inventory-schedules';

export interface StackStep {
  name: string;
  run(ctx: { config: Config; db: Db; log: (msg: string) => void }): Promise<void>;
}

const holdSweepSchedule: StackStep = {
  name: 'inventory: safety-net schedule for expired stock holds',
  async run({ config, log }) {
    const { client, connection } = createTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE });
    try {
      const what = await ensureHoldSweepSchedule(client, config);
      log(`inventory-hold-sweep schedule ${what} (every ${config.HOLD_SWEEP_INTERVAL_SECONDS}s)`);
    } finally {
      await connection.close();
    }
  },
};

export const stackSteps: { beforeServices: StackStep[]; afterServices: StackStep[] } = {
  /** After migrations, before the worker and the API start. */
  beforeServices: [],
  /** Once the API is ready (Temporal reachable, worker polling). */
  afterServices: [holdSweepSchedule],
};
