/**
 * /readyz reports each dependency's status and nothing more; stopping a real Meilisearch turns it
 * into a 503 naming it.
 * The test starts a Meilisearch of its own so the run's shared one keeps serving other files.
 */
import path from 'node:path';
import { type MeiliServer, startMeilisearch } from '../../stack/meilisearch';
import { freePort } from '../../stack/processes';
import { startTestApi, type TestApi } from '../support/app';
import { json } from '../support/http';

let meili: MeiliServer;
let api: TestApi;

beforeAll(async () => {
  meili = await startMeilisearch({
    port: await freePort(),
    dbPath: path.join(process.env.CATHAY_TEST_DIR ?? '/tmp', `readyz-meili-${process.pid}`),
    name: 'readyz-meili',
  });
  api = await startTestApi({ MEILI_URL: meili.url });
});
afterAll(async () => {
  await api?.close();
  await meili?.process.stop();
});

test('all four dependencies ok → 200', async () => {
  const res = await fetch(`${api.url}/readyz`);
  const body = await json(res);
  expect(res.status).toBe(200);
  expect(body.status).toBe('ok');
  expect(body).toEqual({
    status: 'ok',
    checks: { postgres: { status: 'ok' }, redis: { status: 'ok' }, temporal: { status: 'ok' }, meilisearch: { status: 'ok' } },
  });
});

test('Meilisearch stopped → 503 with meilisearch down and the others ok', async () => {
  await meili.process.stop();
  const res = await fetch(`${api.url}/readyz`);
  const body = await json(res);
  expect(res.status).toBe(503);
  // Statuses only (contract v1.1): no error text, host name, port or timing leaves the server.
  const text = JSON.stringify(body);
  expect(body).toEqual({
    status: 'unavailable',
    checks: { postgres: { status: 'ok' }, redis: { status: 'ok' }, temporal: { status: 'ok' }, meilisearch: { status: 'down' } },
  });
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|fetch failed|latency/i);
  expect(text).not.toContain(new URL(meili.url).port);
  expect(res.headers.get('cache-control')).toBe('no-store');
});

test('/healthz stays 200 while a dependency is down (liveness is the process only)', async () => {
  const res = await fetch(`${api.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await json(res)).toEqual({ status: 'ok' });
});
