/**
 * The shipping-rates stack of the tests that POST /v1/shipping/rates: a carrier sandbox, workers
 * polling the `shipping` queue and the API, both pointed at that sandbox, and products to quote.
 */
import { startTestApi, type TestApi } from './app';
import { insertProducts, type Sandbox, startSandbox } from './shipping';
import { startTestWorkers, type TestWorkers } from './temporal';

export interface RatesStack {
  sandbox: Sandbox;
  workers: TestWorkers;
  api: TestApi;
  /** One product per weight asked for, in that order. */
  skus: string[];
  close(): Promise<void>;
}

/**
 * `queuePrefix` gives the file task queues of its own: another file's workers (pointed at its own
 * sandbox) must not take its tasks. `overrides` add to the configuration of workers and API.
 */
export async function startRatesStack(opts: {
  queuePrefix: string;
  weights: number[];
  overrides?: Record<string, string>;
}): Promise<RatesStack> {
  const sandbox = await startSandbox(null);
  try {
    const overrides = {
      TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}${opts.queuePrefix}`,
      CARRIER_URL: sandbox.url,
      CARRIERS_ENABLED: 'swiftship,parcelpro',
      ...opts.overrides,
    };
    const [workers, api] = await Promise.all([startTestWorkers({ queues: ['shipping'], overrides }), startTestApi(overrides)]);
    const skus = await insertProducts(api.deps.db, opts.weights);
    return {
      sandbox,
      workers,
      api,
      skus,
      async close() {
        await api.close();
        await workers.close();
        await sandbox.close();
      },
    };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}
