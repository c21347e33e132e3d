/**
 * Meilisearch keys (issue 12 #10): the engine runs with a master key; the API searches with a
 * search-only key (derived from the master key, created by the harness / stack / worker).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiSearchKey, ensureSearchKey, SEARCH_KEY_UID, searchKeyFor } from '../../search/keys';
import { devMasterKey } from '../../stack/meilisearch';
import { apiSearchEnv } from '../../stack/search-steps';
import { startTestApi, type TestApi } from '../support/app';
import { testConfig } from '../support/config';

const config = testConfig();
const meili = (path: string, key: string | undefined, init: RequestInit = {}) =>
  fetch(`${config.MEILI_URL}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) },
  });

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.close());

test('the test engine runs with a master key of at least 16 bytes: anonymous calls are refused', async () => {
  expect(Buffer.byteLength(config.MEILI_MASTER_KEY ?? '')).toBeGreaterThanOrEqual(16);
  expect((await meili('/indexes', undefined)).status).toBe(401);
  expect((await meili('/indexes', config.MEILI_MASTER_KEY)).status).toBe(200);
});

test('the API holds the search-only key: it searches, it cannot write, list keys or read settings', async () => {
  const key = apiSearchKey(config);
  expect(key).toBe(config.MEILI_SEARCH_KEY);
  expect(key).not.toBe(config.MEILI_MASTER_KEY);
  expect((api.deps.meili.config as { apiKey?: string }).apiKey).toBe(key);
  const index = `${config.MEILI_INDEX_PREFIX}products`;
  // The index may not exist in this run yet: 404 proves the key may search, 403 would not.
  expect([200, 404]).toContain((await meili(`/indexes/${index}/search`, key, { method: 'POST', body: '{"q":""}' })).status);
  expect((await meili(`/indexes/${index}/documents`, key, { method: 'POST', body: '[{"id":"x"}]' })).status).toBe(403);
  expect((await meili('/keys', key)).status).toBe(403);
  expect((await meili(`/indexes/${index}/settings`, key)).status).toBe(403);
  // and through the API itself, search answers (200, or 503 while the index is missing) — never a key error
  const res = await fetch(`${api.url}/v1/search?q=phone`);
  expect([200, 503]).toContain(res.status);
});

test('the search key is derived from the master key (Meilisearch: HMAC-SHA256 of the uid); creating it is idempotent', async () => {
  const master = config.MEILI_MASTER_KEY as string;
  expect(searchKeyFor(master)).toBe(config.MEILI_SEARCH_KEY);
  const described = (await (await meili(`/keys/${SEARCH_KEY_UID}`, master)).json()) as { key: string; actions: string[] };
  expect(described.key).toBe(searchKeyFor(master));
  expect(described.actions).toEqual(['search']);
  await expect(ensureSearchKey({ url: config.MEILI_URL, masterKey: master, indexPrefix: config.MEILI_INDEX_PREFIX })).resolves.toBe(
    searchKeyFor(master),
  );
  await expect(ensureSearchKey({ url: config.MEILI_URL, masterKey: undefined, indexPrefix: '' })).resolves.toBeUndefined();
});

test('npm run dev: the master key is generated once into .data/ (0600, ≥ 16 bytes) and reused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'meili-key-'));
  const key = devMasterKey(dir);
  expect(Buffer.byteLength(key)).toBeGreaterThanOrEqual(16);
  expect(statSync(path.join(dir, 'meili-master-key')).mode & 0o777).toBe(0o600);
  expect(devMasterKey(dir)).toBe(key);
  expect(devMasterKey(mkdtempSync(path.join(tmpdir(), 'meili-key-')))).not.toBe(key);
});

test('npm run dev: the API process gets the search-only key and no master key', async () => {
  const lines: string[] = [];
  const env = await apiSearchEnv(config, { MEILI_MASTER_KEY: config.MEILI_MASTER_KEY, OTHER: 'kept' }, (m) => lines.push(m));
  expect(env.MEILI_MASTER_KEY).toBeUndefined();
  expect(env.MEILI_SEARCH_KEY).toBe(searchKeyFor(config.MEILI_MASTER_KEY as string));
  expect(env.OTHER).toBe('kept');
  expect(lines.join('\n')).toMatch(/search-only key/);
});
