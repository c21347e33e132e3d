/**
 * Concurrency caps on work that costs money or workflows (CONTRACT v1.1 "Limits"): shipping-rate
 * cache misses above SHIPPING_RATES_MAX_CONCURRENT are refused at once (429 + Retry-After), never
 * queued; cache hits are not capped; the cap frees its slot on failure.
 */
import { createOrderPlacement } from '../../api/orders/placement';
import { ConcurrencyCap } from '../../api/work-caps';
import { createLogger } from '../../observability/logger';
import { startTestApi, type TestApi } from '../support/app';
import { uniqueId } from '../support/config';
import { getJson } from '../support/http';
import { orderBody } from '../support/orders';
import { control, freshPostalCode, insertProducts, type Sandbox, startSandbox } from '../support/shipping';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

describe('ConcurrencyCap', () => {
  test('refuses above its maximum at once, frees slots on success and failure', async () => {
    const cap = new ConcurrencyCap('things', 2, 3);
    const gates: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => gates.push(resolve));
    const a = cap.run(hold);
    const b = cap.run(async () => {
      await hold();
      throw new Error('boom');
    });
    expect(cap.inFlight).toBe(2);
    await expect(cap.run(async () => 'c')).rejects.toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 3 });
    for (const g of gates) g();
    await a;
    await expect(b).rejects.toThrow('boom');
    expect(cap.inFlight).toBe(0);
    await expect(cap.run(async () => 'd')).resolves.toBe('d');
  });
});

describe('shipping rates', () => {
  let sandbox: Sandbox;
  let workers: TestWorkers;
  let api: TestApi;
  let skus: string[];

  beforeAll(async () => {
    sandbox = await startSandbox(null);
    const overrides = {
      TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}caps-`,
      CARRIER_URL: sandbox.url,
      CARRIERS_ENABLED: 'swiftship,parcelpro',
      SHIPPING_RATES_MAX_CONCURRENT: '3',
    };
    [workers, api] = await Promise.all([startTestWorkers({ queues: ['shipping'], overrides }), startTestApi(overrides)]);
    skus = await insertProducts(api.deps.db, [1200]);
  });
  afterAll(async () => {
    await api?.close();
    await workers?.close();
    await sandbox?.close();
  });

  const body = (postalCode: string) => ({ destination: { country: 'US', postalCode }, items: [{ sku: skus[0], quantity: 1 }] });
  const rates = (b: unknown) =>
    getJson(`${api.url}/v1/shipping/rates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });

  test('30 concurrent cache misses with a cap of 3: the rest are 429 at once with Retry-After, no queue', async () => {
    await control(sandbox, '/__faults', { latencyMs: 600 });
    const before = sandbox.stats().swiftship?.rates ?? 0;
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 30 }, () => rates(body(freshPostalCode()))));
    await control(sandbox, '/__faults', { reset: true });
    const refused = answers.filter((a) => a.status === 429);
    // Admitted requests answer 200 — or 503 when a starved test machine keeps the workers from
    // quoting in time; what the cap decides is the 429s.
    expect(answers.filter((a) => ![200, 429, 503].includes(a.status))).toEqual([]);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const r of refused) {
      expect(r.body.code).toBe('rate_limited');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    // The refused requests started no workflow: carriers were asked only for the admitted ones.
    expect((sandbox.stats().swiftship?.rates ?? 0) - before).toBeLessThanOrEqual(30 - refused.length);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('cache hits are not capped', async () => {
    const b = body(freshPostalCode());
    let first = await rates(b);
    for (let i = 0; i < 3 && first.status !== 200; i++) first = await rates(b); // a loaded machine may 503 once
    expect(first.status).toBe(200);
    await control(sandbox, '/__faults', { latencyMs: 600 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => rates(b)));
    await control(sandbox, '/__faults', { reset: true });
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  });
});

describe('order placement', () => {
  test('placements above ORDERS_MAX_CONCURRENT are refused at once with 429 (one slot held by a slow placement)', async () => {
    // Temporal unreachable: the admitted placement takes ~2 s to give up (503); meanwhile the cap is full.
    const api = await startTestApi({ ORDERS_MAX_CONCURRENT: '1', TEMPORAL_ADDRESS: '127.0.0.1:1', ORDER_SYNC_WAIT_MS: '1500' });
    try {
      const [p] = await insertProducts(api.deps.db, [500]);
      const placement = createOrderPlacement(api.deps);
      const log = createLogger({ level: 'silent' });
      const slow = placement.place(orderBody([{ sku: p as string, quantity: 1 }]), uniqueId('k-'), log);
      const started = Date.now();
      const refused = await placement.place(orderBody([{ sku: p as string, quantity: 1 }]), uniqueId('k-'), log).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(Date.now() - started).toBeLessThan(500);
      expect(refused).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 2 });
      await expect(slow).rejects.toMatchObject({ code: 'dependency_unavailable' });
      expect(api.deps.caps.orders.inFlight).toBe(0);
    } finally {
      // The failed call's gRPC retry timers run until its deadline (the synchronous window);
      // closing the connection under one would throw from a timer (see orders-temporal-down).
      await new Promise((r) => setTimeout(r, 2_500));
      await api.close();
    }
  }, 20_000);
});
