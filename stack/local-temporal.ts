/**
 * A throwaway Temporal CLI dev server in memory on a free port, with the project's search
 * attributes and dynamic config, for the test harness and the benchmarks (never `npm run dev`:
 * @temporalio/testing is a dev dependency). The CLI comes from .tools/ or PATH, never a download.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalCli } from './binaries';
import { freePort } from './processes';
import { devServerExtraArgs } from './temporal-server';

export async function startLocalTemporal(): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCli() },
      ip: '127.0.0.1',
      port,
      ui: false,
      log: { format: 'pretty', level: 'error' },
      extraArgs: devServerExtraArgs(),
    },
  });
}
