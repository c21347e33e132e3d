/**
 * /docs in a real browser (Debian's Chromium driven by playwright-core; never a browser download):
 * the reference renders from /openapi.json without console errors, loads nothing from outside
 * the API's origin, and shows POST /v1/orders with its Idempotency-Key header.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { PROJECT_ROOT } from '../../stack/binaries';
import { startTestApi, type TestApi } from '../support/app';

const ARTIFACTS = path.join(PROJECT_ROOT, '.data/artifacts');
let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

test('/docs renders the reference offline, without console errors, with POST /v1/orders and its Idempotency-Key', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const foreign: string[] = [];
  let bytes = 0;
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => !r.url().startsWith(api.url) && !r.url().startsWith('data:') && foreign.push(r.url()));
  page.on('response', async (r) => {
    bytes += Number((await r.allHeaders())['content-length'] ?? (await r.body().catch(() => Buffer.alloc(0))).length);
  });

  await page.goto(`${api.url}/docs`, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { name: 'Cathay Shop API' }).waitFor({ timeout: 60_000 });
  // The sidebar lists the tags; opening "orders" lists its operations, one is placing an order.
  const sidebar = page.getByRole('navigation', { name: /Sidebar/ });
  await sidebar.getByRole('button', { name: 'orders Open Group' }).click();
  await sidebar.getByRole('button', { name: /^Place an order.*HTTP Method: POST/ }).click();
  const operation = page.locator('section', { hasText: 'Place an order' }).filter({ hasText: '/v1/orders' }).last();
  await operation.waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  const text = await operation.innerText();
  expect(text).toContain('/v1/orders');
  expect(text).toMatch(/idempotency-key/i);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'api-reference.png') });
  writeFileSync(path.join(ARTIFACTS, 'api-reference.json'), JSON.stringify({ pageBytes: bytes, requests: foreign.length }));
  expect(foreign).toEqual([]);
  expect(problems).toEqual([]);
}, 150_000);
