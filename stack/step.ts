/** One idempotent start-up step of `npm run dev` (see `steps.ts` for the list). */
import type { Config } from '../config';
import type { Db } from '../db/connection';

export interface StackStep {
  name: string;
  run(ctx: { config: Config; db: Db; log: (msg: string) => void }): Promise<void>;
}
