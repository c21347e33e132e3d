/** What the global setup started, kept for the global teardown (they share one process). */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ManagedProcess } from '../../stack/processes';

export interface RunState {
  runId: string;
  dir: string;
  databaseUrl: string;
  redisPrefix: string;
  temporal: TestWorkflowEnvironment;
  meili: ManagedProcess;
}

const KEY = Symbol.for('cathay.test.run');

export function saveRunState(state: RunState): void {
  (globalThis as Record<symbol, unknown>)[KEY] = state;
}

export function loadRunState(): RunState | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as RunState | undefined;
}
