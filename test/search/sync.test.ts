/**
 * The search sync and the full reindex, end to end: real workers polling this file's task
 * queues, the real API, a Meilisearch of this file's own (the outage test stops it; the run's
 * shared one keeps serving other files) and a Postgres database of its own: the sync drains one
 * outbox, and a reindex elsewhere (the console's browser test runs one) replays the outbox onto
 * its own index and marks the rows processed — in the run's shared database it took this file's
 * rows, and a product never reached this file's index (CI, 2026-12-02).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import { dropDatabase } from '../../db/ensure-database';
import { productIndexes } from '../../search/client';
import { type MeiliServer, startMeilisearch } from '../../stack/meilisearch';
import { freePort } from '../../stack/processes';
import { buildSearchIndexStep, liveIndexSize, startSearchSyncStep } from '../../stack/search-steps';
import { ensureSearchSync, searchWorkflowIds } from '../../temporal/search-workflows';
import { searchSyncStatusQuery } from '../../workflows/search-sync';
import { authHeader, startTestApi, type TestApi } from '../support/app';
import { uniqueId } from '../support/config';
import { freshDatabase } from '../support/databases';
import { getJson, type Json } from '../support/http';
import { eventually, type FixtureProduct, insertProducts, setStock, updateProduct } from '../support/search-fixtures';
import { startTestWorkers, type TestWorkers } from '../support/temporal';

jest.setTimeout(120_000);

const T = uniqueId('Y');
const CAT = `${T} gadgets`;
let meili: MeiliServer;
let meiliPort: number;
const meiliDir = path.join(process.env.CATHAY_TEST_DIR ?? '/tmp', `search-sync-meili-${process.pid}`);
let api: TestApi;
let workers: TestWorkers;
let overrides: Record<string, string>;

async function startWorkers() {
  workers = await startTestWorkers({ queues: ['sync'], overrides });
}

/** This file's own database (see the file comment), migrated like the run's. */
const databaseUrl = `${process.env.DATABASE_URL}_searchsync`;

beforeAll(async () => {
  await (await freshDatabase(databaseUrl, 2)).destroy();
  meiliPort = await freePort();
  meili = await startMeilisearch({ port: meiliPort, dbPath: meiliDir, name: 'search-sync-meili' });
  overrides = {
    DATABASE_URL: databaseUrl,
    MEILI_URL: meili.url,
    MEILI_INDEX_PREFIX: `${process.env.MEILI_INDEX_PREFIX}sync_`,
    TEMPORAL_TASK_QUEUE_PREFIX: `${process.env.TEMPORAL_TASK_QUEUE_PREFIX}ss-`,
    SEARCH_SYNC_RUN_MS: '3000',
    SEARCH_SYNC_IDLE_POLL_MS: '100',
    // Small steps, so the reindex below takes several activities and can be watched.
    SEARCH_REINDEX_PAGE_SIZE: '250',
    SEARCH_REINDEX_CHUNK_SIZE: '500',
    // Its polls and search loops (anonymous, one IP) test the sync and the swap, not the rate limiter.
    RATE_LIMIT_SEARCH_IP: '1000000',
  };
  api = await startTestApi(overrides);
  await startWorkers();
  await ensureSearchSync(workers.client, workers.config);
});

afterAll(async () => {
  const sync = workers?.client.workflow.getHandle(searchWorkflowIds(workers.config).sync);
  await sync?.terminate('test over').catch(() => {});
  // `SAVE_HISTORIES=1 npx jest test/search/sync.test.ts` refreshes the histories the replay test uses.
  if (process.env.SAVE_HISTORIES === '1' && workers) {
    const dir = path.join(__dirname, '..', 'histories');
    mkdirSync(dir, { recursive: true });
    const reindex = workers.client.workflow.getHandle(searchWorkflowIds(workers.config).reindex);
    for (const [name, handle] of [
      ['search-sync', sync],
      ['search-reindex', reindex],
    ] as const) {
      if (handle)
        writeFileSync(path.join(dir, `${name}.history.bin`), temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    }
  }
  await workers?.close();
  await api?.close();
  await meili?.process.stop();
  await dropDatabase(databaseUrl).catch(() => undefined);
});

const search = (qs: string) => getJson(`${api.url}/v1/search?${qs}`);
const inCat = (extra = '') => `category=${encodeURIComponent(CAT)}${extra}`;
const product = (n: string, over: Partial<FixtureProduct> = {}): FixtureProduct => ({
  sku: `${T}-${n}`,
  name: `Widget ${n}`,
  brand: `${T} brand`,
  category: CAT,
  price: 1_000,
  onHand: 20,
  ...over,
});
async function hitBySku(sku: string, qs = inCat('&limit=100')): Promise<Json | undefined> {
  const { status, body } = await search(qs);
  if (status !== 200) return undefined;
  return body.hits.find((h: { sku: string }) => h.sku === sku);
}
async function pendingRows(ids: string[]): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT COUNT(*)::int AS n FROM outbox WHERE processed_at IS NULL AND aggregate_id IN (${sql.join(ids)})`.execute(api.deps.db);
  return rows[0]?.n ?? -1;
}

test('products written concurrently with their outbox rows all become searchable, rows marked processed', async () => {
  const written = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      insertProducts(api.deps.db, [product(`c${i}`, { name: `Concurrent gizmo ${i}` })], { outbox: true }),
    ),
  );
  const ids = written.flat().map((p) => p.id);
  await eventually(async () => {
    const { body } = await search(inCat('&q=gizmo&limit=100'));
    return body.total === 20 ? true : undefined;
  });
  await eventually(async () => ((await pendingRows(ids)) === 0 ? true : undefined));
});

test('a name and price change reach search', async () => {
  const [p] = await insertProducts(api.deps.db, [product('u1', { name: 'Plain kettle' })], { outbox: true });
  await eventually(() => hitBySku(`${T}-u1`));
  await updateProduct(api.deps.db, p?.id as string, { name: 'Shiny teapot', price_amount: 4_321 });
  const hit = await eventually(async () => {
    const h = await hitBySku(`${T}-u1`, inCat('&q=teapot'));
    return h?.price.amount === 4_321 ? h : undefined;
  });
  expect(hit.name).toBe('Shiny teapot');
});

test('stock changes move the availability status (and the inStock filter)', async () => {
  await insertProducts(api.deps.db, [product('s1', { onHand: 50 })], { outbox: true });
  expect((await eventually(() => hitBySku(`${T}-s1`))).availability.status).toBe('in_stock');

  await setStock(api.deps.db, `${T}-s1`, 50, 47); // 3 left
  await eventually(async () => ((await hitBySku(`${T}-s1`))?.availability.status === 'low_stock' ? true : undefined));

  await setStock(api.deps.db, `${T}-s1`, 50, 50); // none left
  await eventually(async () => ((await hitBySku(`${T}-s1`))?.availability.status === 'out_of_stock' ? true : undefined));
  expect(await hitBySku(`${T}-s1`, inCat('&inStock=true&limit=100'))).toBeUndefined();
  expect(await hitBySku(`${T}-s1`, inCat('&inStock=false&limit=100'))).toMatchObject({
    sku: `${T}-s1`,
    availability: { status: 'out_of_stock' },
  });
});

test('a deleted product leaves search', async () => {
  const [p] = await insertProducts(api.deps.db, [product('d1')], { outbox: true });
  await eventually(() => hitBySku(`${T}-d1`));
  await updateProduct(api.deps.db, p?.id as string, { deleted: true });
  await eventually(async () => ((await hitBySku(`${T}-d1`)) === undefined ? true : undefined));
});

test('Meilisearch down: search answers 503 fast; writes wait in the outbox and arrive after it returns', async () => {
  await meili.process.stop();

  const started = Date.now();
  const down = await search(inCat());
  const elapsed = Date.now() - started;
  expect(down.status).toBe(503);
  expect(down.body.code).toBe('dependency_unavailable');
  expect(down.headers.get('retry-after')).toEqual(expect.any(String));
  expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
  expect(elapsed).toBeLessThan(5_000); // a hang detector; the latency itself is in the benchmark

  const written = await insertProducts(api.deps.db, [product('o1', { name: 'Outage lamp' }), product('o2', { name: 'Outage rug' })], {
    outbox: true,
  });
  const ids = written.map((p) => p.id);
  // The sync keeps trying; the rows stay pending while the engine is away.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(await pendingRows(ids)).toBe(2);

  meili = await startMeilisearch({ port: meiliPort, dbPath: meiliDir, name: 'search-sync-meili' });
  await eventually(async () => {
    const { body } = await search(inCat('&q=outage'));
    return body?.total === 2 ? true : undefined;
  }, 30_000);
  // Marked processed right after the index task succeeded (visible a moment before the commit).
  await eventually(async () => ((await pendingRows(ids)) === 0 ? true : undefined));
  // Earlier rows survived the restart too (the index is on disk).
  expect(await hitBySku(`${T}-u1`)).toMatchObject({ sku: `${T}-u1`, category: CAT });

  const status = await eventually(async () => {
    const s = await workers.client.workflow.getHandle(searchWorkflowIds(workers.config).sync).query(searchSyncStatusQuery);
    return s.totals.errors > 0 && s.totals.rows > 0 ? s : undefined;
  });
  expect(status.lastError).toEqual(expect.any(String));
});

test('worker down: writes wait and arrive once a worker polls again', async () => {
  await workers.close();
  await insertProducts(api.deps.db, [product('w1', { name: 'Offline mixer' })], { outbox: true });
  await new Promise((r) => setTimeout(r, 500));
  expect(await hitBySku(`${T}-w1`)).toBeUndefined();
  await startWorkers();
  await eventually(() => hitBySku(`${T}-w1`), 60_000);
});

describe('full reindex', () => {
  test('needs the admin role', async () => {
    const url = `${api.url}/v1/admin/search/reindex`;
    expect((await getJson(url, { method: 'POST' })).status).toBe(401);
    const forbidden = await getJson(url, { method: 'POST', headers: authHeader('storefront') });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('forbidden');
  });

  test('unknown job → 404; a malformed job id → 400', async () => {
    const base = `${api.url}/v1/admin/search/reindex`;
    const missing = await getJson(`${base}/00000000-0000-4000-8000-000000000000`, { headers: authHeader('admin') });
    expect(missing.status).toBe(404);
    expect((await getJson(`${base}/nope`, { headers: authHeader('admin') })).status).toBe(400);
  });

  test('rebuilds aside and swaps while searches keep answering; changes made meanwhile survive', async () => {
    // Products that only Postgres has (no outbox rows): the reindex must bring them in.
    const BULK = `${T} bulk`;
    const bulk = Array.from({ length: 2_000 }, (_, i) => product(`b${i}`, { category: BULK, name: `Bulk item ${i}` }));
    for (let i = 0; i < bulk.length; i += 500) await insertProducts(api.deps.db, bulk.slice(i, i + 500));
    const [changing] = await insertProducts(api.deps.db, [product('r1', { name: 'Before reindex' })], { outbox: true });
    await eventually(() => hitBySku(`${T}-r1`));

    let searching = true;
    const failures: string[] = [];
    let searches = 0;
    const loops = Array.from({ length: 4 }, async () => {
      while (searching) {
        const { status, body } = await search(inCat('&limit=5'));
        searches++;
        if (status !== 200 || body.total === 0) failures.push(`${status} total=${body?.total}`);
      }
    });

    const start = await getJson(`${api.url}/v1/admin/search/reindex`, { method: 'POST', headers: authHeader('admin') });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ status: 'running', jobId: expect.any(String), workflowId: expect.any(String) });
    expect(start.headers.get('location')).toBe(start.body.statusUrl);
    const again = await getJson(`${api.url}/v1/admin/search/reindex`, { method: 'POST', headers: authHeader('admin') });
    if (again.body.alreadyRunning) expect(again.body.jobId).toBe(start.body.jobId);

    // A change while the copy runs: it must be in the swapped-in index.
    await updateProduct(api.deps.db, changing?.id as string, { name: 'After reindex' });

    const statusUrl = `${api.url}${start.body.statusUrl}`;
    const seen = new Set<string>();
    const job = await eventually(
      async () => {
        const { body } = await getJson(statusUrl, { headers: authHeader('ops') });
        if (body.progress) seen.add(body.progress.phase);
        return body.status === 'completed' ? body : undefined;
      },
      90_000,
      200,
    );
    searching = false;
    await Promise.all(loops);

    expect(failures).toEqual([]);
    expect(searches).toBeGreaterThan(10);
    expect(job.progress.phase).toBe('done');
    expect(job.progress.indexed).toBeGreaterThanOrEqual(2_000);
    expect(job.progress.docsPerSecond).toBeGreaterThan(0);
    expect(job.progress.index).toBe(productIndexes(overrides.MEILI_INDEX_PREFIX as string).live);
    // Progress was visible while it ran (a phase before "done").
    expect(['preparing', 'indexing', 'swapping'].some((p) => seen.has(p))).toBe(true);

    const bulkResult = await search(`category=${encodeURIComponent(BULK)}&limit=1`);
    expect(bulkResult.body.total).toBe(2_000);
    await eventually(async () => ((await hitBySku(`${T}-r1`))?.name === 'After reindex' ? true : undefined));
    // The index built aside is gone after the swap; the live one has our settings (filters work).
    expect(
      await workers.deps.meili
        .index(productIndexes(overrides.MEILI_INDEX_PREFIX as string).tmp)
        .getStats()
        .catch(() => null),
    ).toBeNull();
    expect((await search(inCat('&inStock=true&sort=price:asc'))).status).toBe(200);
  });
});

describe('stack start-up steps', () => {
  const log: string[] = [];
  const ctx = () => ({ config: workers.config, db: api.deps.db, log: (m: string) => log.push(m) });

  test('the sync step is idempotent: one search-sync workflow, however often the stack starts', async () => {
    const id = searchWorkflowIds(workers.config).sync;
    const before = await workers.client.workflow.getHandle(id).describe();
    await startSearchSyncStep.run(ctx());
    await startSearchSyncStep.run(ctx());
    const after = await workers.client.workflow.getHandle(id).describe();
    expect(after.runId).toBe(before.runId);
    expect(after.status.name).toBe('RUNNING');
  });

  test('the index step keeps a populated index and builds a missing one through the reindex workflow', async () => {
    const { live } = productIndexes(overrides.MEILI_INDEX_PREFIX as string);
    await buildSearchIndexStep.run(ctx());
    expect(log.at(-1)).toMatch(/kept/);

    // This file's search-sync would recreate the index as soon as any outbox row arrives (the
    // run's database is shared: other test files write products, and their NOTIFY wakes it), so
    // it is stopped first; an activity still finishing its last batch may recreate it once more.
    await workers.client.workflow.getHandle(searchWorkflowIds(workers.config).sync).terminate('test: the live index is deleted on purpose');
    const missing = await eventually(async () => {
      await workers.deps.meili.deleteIndex(live).waitTask();
      const { status } = await search(inCat());
      return status === 503 ? status : undefined;
    });
    expect(missing).toBe(503); // no index: "being built"
    await buildSearchIndexStep.run(ctx());
    expect(log.at(-1)).toMatch(/built/);
    expect(await liveIndexSize(workers.config)).toBeGreaterThan(2_000);
    const { status, body } = await search(inCat('&inStock=true&sort=price:asc'));
    expect(status).toBe(200);
    expect(body.total).toBeGreaterThan(0);
  });
});
