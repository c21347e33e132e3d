/**
 * Start-up steps other parts of the system contribute to `npm run dev` (seeding the catalog,
 * building the search index, starting long-running workflows). Each step must be idempotent:
 * `npm run dev` twice in a row does the work once.
 */
import type { Config } from '../config';
import type { Db } from '../db/connection';
import { buildSearchIndexStep, startSearchSyncStep } from './search-steps';

export interface StackStep {
  name: string;
  run(ctx: { config: Config; db: Db; log: (msg: string) => void }): Promise<void>;
}

export const stackSteps: { beforeServices: StackStep[]; afterServices: StackStep[] } = {
  /** After migrations, before the worker and the API start. */
  beforeServices: [],
  /** Once the API is ready (Temporal reachable, worker polling). */
  afterServices: [buildSearchIndexStep, startSearchSyncStep],
};
