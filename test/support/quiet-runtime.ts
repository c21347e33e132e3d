import { Runtime } from '@temporalio/worker';

let installed = false;

/**
 * The Temporal core runtime of a jest worker, silent (failing attempts are the point of many
 * tests): test workers, replays, the time-skipping server and the in-process API's Temporal
 * client (temporal/native-connection.ts) share it. Installed once per process; a
 * runtime already made by another module's call is kept.
 */
export function quietRuntime(): void {
  if (installed) return;
  installed = true;
  const noop = () => {};
  try {
    Runtime.install({ logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop }, telemetryOptions: {} });
  } catch {
    // already installed by an earlier call in this worker process
  }
}
