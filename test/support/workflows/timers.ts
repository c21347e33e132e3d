import { sleep } from '@temporalio/workflow';

/** Test-only workflow: sleeps and reports how much workflow time passed. */
export async function sleeper(ms: number): Promise<number> {
  const start = Date.now(); // deterministic inside workflows: the workflow clock
  await sleep(ms);
  return Date.now() - start;
}
