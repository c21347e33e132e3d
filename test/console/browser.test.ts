/**
 * The console in a real browser: Playwright (playwright-core) driving Debian's Chromium against the
 * whole order stack (API, workers, payment and carrier sandboxes). Each page is checked with
 * axe-core and photographed at 1280 and 390 px (.data/artifacts/console/); page weights and the
 * time from clicking "Retry" to "confirmed" on screen are written to console-metrics.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createDb, type Db } from '../../db/connection';
import { authHeader, DEV_KEYS, startTestApi, type TestApi } from '../support/app';
import { createProduct } from '../support/fixtures';
import { getJson } from '../support/http';
import { eventually, getOrder, type OrderStack, orderBody, placeOrder, startOrderStack, waitForOrder } from '../support/orders';
import { deliveredOrder, getReturn, requestReturn } from '../support/returns';
import { startTestWorkers } from '../support/temporal';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '.data', 'artifacts', 'console');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let stack: OrderStack;
let db: Db;
let browser: Browser;
const metrics: Record<string, unknown> = { pageWeights: {}, axe: {} };

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: run stack/setup.sh as root (apt-get install chromium) or set CHROMIUM_PATH`);
  mkdirSync(ARTIFACTS, { recursive: true });
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 3 });
  [stack, browser] = await Promise.all([
    startOrderStack(),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true }),
  ]);
}, 90_000);

afterAll(async () => {
  writeFileSync(path.join(ARTIFACTS, 'console-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await browser?.close();
  await stack?.close();
  await db?.destroy();
});

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page; cspErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
      cspErrors.push(`${m.text().slice(0, 60)} at ${JSON.stringify(m.location())}`);
  });
  return { context, page, cspErrors };
}

async function signIn(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** axe-core in the page: no serious or critical violation. The counts go to the metrics. */
/** What a live order event does: the panel reloads and is swapped in (resolves once it settled). */
async function refreshPanel(page: Page): Promise<void> {
  // A string, as the tests compile without the DOM's types.
  await page.evaluate(`new Promise((resolve) => {
    document.body.addEventListener('htmx:afterSettle', () => resolve(), { once: true });
    window.htmx.trigger(document.body, 'order-changed');
  })`);
}

async function checkAxe(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(
    // axe is a global once its source ran
    () => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
  )) as { violations: Array<{ id: string; impact: string | null; nodes: unknown[] }>; passes: unknown[] };
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  (metrics.axe as Record<string, unknown>)[name] = {
    violations: result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`),
    passes: result.passes.length,
  };
  expect(bad.map((v) => v.id)).toEqual([]);
}

/** Screenshots at 1280 and 390 px, and no sideways scrolling at either width. */
async function photograph(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect({ name, width, overflow }).toEqual({ name, width, overflow: 0 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Bytes of the document and its scripts and styles as transferred and as decoded (before data: the shell). */
async function pageWeight(page: Page, name: string): Promise<void> {
  // Runs in the page (a string: the test's TypeScript has no DOM types).
  const w = await page.evaluate<{ documentDecoded: number; assetsDecoded: number; transferred: number }>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const assets = performance.getEntriesByType('resource').filter((r) => r.name.includes('/console/assets/'));
    return {
      documentDecoded: nav.decodedBodySize,
      assetsDecoded: assets.reduce((n, r) => n + r.decodedBodySize, 0),
      transferred: nav.transferSize + assets.reduce((n, r) => n + r.transferSize, 0),
    };
  })()`);
  (metrics.pageWeights as Record<string, unknown>)[name] = { ...w, totalDecoded: w.documentDecoded + w.assetsDecoded };
  expect(w.documentDecoded + w.assetsDecoded).toBeLessThan(100 * 1024);
}

test('sign-in: a storefront key and an unknown key are refused; a support key lands on Failed orders', async () => {
  const { context, page, cspErrors } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.storefront);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('storefront key cannot sign in');
    await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('cathay_console');
    await checkAxe(page, 'sign-in');
    await pageWeight(page, 'sign-in');
    await photograph(page, 'sign-in');

    await signIn(page, stack.api.url, 'not-a-real-key-123');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not valid');

    // Keyboard only: the "API key" field has the focus on arrival; Enter submits.
    await page.goto(`${stack.api.url}/console/sign-in`);
    // Chromium applies autofocus at its next rendering step, which can come after "load" on a busy
    // machine: wait for the focus (the claim) before typing, or the keys go to the page's body.
    await page.waitForFunction(`document.activeElement?.id === 'api-key'`, undefined, { timeout: 10_000 });
    await page.keyboard.type(DEV_KEYS.support);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Failed orders' }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'cathay_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect((cookie?.expires ?? 0) - Date.now() / 1000).toBeGreaterThan(8 * 3600 - 60);
    // The key is nowhere the page's scripts can read.
    const visible = await page.evaluate<string>(
      'document.documentElement.outerHTML + document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)',
    );
    expect(visible).not.toContain(DEV_KEYS.support);
    expect(cspErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a failed order appears on its own; Retry once the sandbox is back turns it confirmed on the open page', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const { context, page, cspErrors } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.support);
    await page.getByRole('heading', { name: 'Failed orders' }).waitFor();

    stack.payments.setFaults({ down: true });
    let id: string;
    try {
      const r = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
      expect(r.status).toBe(202);
      id = r.body.id;
      await waitForOrder(stack.api, id, (o) => o.status === 'failed', 30_000);
      // The list refreshes itself (every 10 s): no reload.
      const link = page.getByRole('link', { name: id, exact: true });
      await link.waitFor({ timeout: 15_000 });
      const row = page.locator(`tr[data-order="${id}"]`);
      await expect(row.textContent()).resolves.toMatch(/payment|authorize/i);
      await checkAxe(page, 'failed-orders');
      await pageWeight(page, 'failed-orders');
      await photograph(page, 'failed-orders');
      // Keyboard only: Tab from the top of the page to the order's link, Enter.
      await page.locator('body').focus();
      let reached = false;
      for (let i = 0; i < 80 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = (await page.evaluate<string>('document.activeElement?.textContent ?? ""')) === id;
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
    } finally {
      stack.payments.setFaults({ down: false });
    }
    await page.getByRole('heading', { name: `Order ${id}` }).waitFor();
    await expect(page.locator('#order-status').textContent()).resolves.toBe('failed');
    const temporalLink = page.getByRole('link', { name: 'Open in Temporal Web UI' });
    expect(await temporalLink.getAttribute('href')).toBe(
      `${stack.api.deps.config.TEMPORAL_UI_URL}/namespaces/default/workflows/order-${id}`,
    );
    await page.getByText('Live updates: connected').waitFor();
    await checkAxe(page, 'order-failed');
    await pageWeight(page, 'order');
    await photograph(page, 'order-failed');

    await page.evaluate('window.notReloaded = true');
    const retry = page.getByRole('button', { name: 'Retry' });
    await retry.focus();
    const clicked = Date.now();
    await page.keyboard.press('Enter');
    await page
      .locator('#order-status', { hasText: 'confirmed' })
      .waitFor({ timeout: 45_000 })
      .catch(async (err) => {
        throw new Error(
          `${err}\naction result: ${await page.locator('#action-result').textContent()}\npanel: ${await page.locator('#order-panel').textContent()}`,
        );
      });
    metrics.retryToConfirmedMs = Date.now() - clicked;
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    await expect(page.locator('#action-result').textContent()).resolves.toContain('Retry');
    // Who did it is in the timeline.
    await expect(page.locator('ol.timeline').textContent()).resolves.toMatch(/Retry by support \(key-[0-9a-f]{8}\)/);
    const confirmed = (await getOrder(stack.api, id)).body;
    expect(confirmed.status).toBe('confirmed');
    // The order's own timeline (what every API client sees) names who retried, too.
    expect(confirmed.timeline.map((t: { note?: string }) => t.note ?? '')).toContainEqual(
      expect.stringMatching(/^resumed at authorize by support \(console: key-[0-9a-f]{8}\)$/),
    );
    await checkAxe(page, 'order-confirmed');
    await photograph(page, 'order-confirmed');
    expect(cspErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('cancel with a reason and a confirmation; a POST without the CSRF token is refused and changes nothing', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 5 } });
  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
  expect(placed.body.status).toBe('confirmed');
  const id: string = placed.body.id;
  const { context, page } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.support);
    await page.goto(`${stack.api.url}/console/orders/${id}`);

    // Without the token (a forged cross-site form, or a script): 403, and the order stays confirmed.
    const forged = await context.request.post(`${stack.api.url}/console/orders/${id}/cancel`, {
      form: { reason: 'forged', confirm: 'yes' },
    });
    expect(forged.status()).toBe(403);
    const wrong = await context.request.post(`${stack.api.url}/console/orders/${id}/cancel`, {
      form: { reason: 'forged', confirm: 'yes', _csrf: 'not-the-token' },
    });
    expect(wrong.status()).toBe(403);
    expect((await getOrder(stack.api, id)).body.status).toBe('confirmed');

    // Support sees no Ship (ops only).
    expect(await page.getByRole('button', { name: 'Ship' }).count()).toBe(0);
    await page.getByLabel('Reason').fill('customer called: ordered twice');
    await page.getByRole('button', { name: 'Cancel order' }).click();
    // The confirmation is required: nothing was sent.
    expect(await page.locator('#action-result').textContent()).toBe('');
    expect((await getOrder(stack.api, id)).body.status).toBe('confirmed');
    await page.getByLabel(/Yes, cancel this order/).check();
    // A live event refreshes the panel while the agent is at the form: what was typed and ticked stays.
    await refreshPanel(page);
    await expect(page.getByLabel('Reason').inputValue()).resolves.toBe('customer called: ordered twice');
    await expect(page.getByLabel(/Yes, cancel this order/).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.locator('#order-status', { hasText: 'cancelled' }).waitFor({ timeout: 15_000 });
    const order = (await getOrder(stack.api, id)).body;
    expect(order.status).toBe('cancelled');
    expect(order.timeline.at(-1).note).toMatch(/customer called: ordered twice — by support \(key-[0-9a-f]{8}\)/);
    await expect(page.locator('#payment-state').textContent()).resolves.toBe('voided');
    await checkAxe(page, 'order-cancelled');
  } finally {
    await context.close();
  }
});

test('ops ships an order (carrier, service) and adjusts stock with a reason; a POST without the token changes no stock', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 7 } });
  const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 2 }]));
  const id: string = placed.body.id;
  const { context, page, cspErrors } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.ops);
    await page.goto(`${stack.api.url}/console/orders/${id}`);
    // As in the other action tests: the stream's first refresh replaces the forms, so act after it.
    await page.getByText('Live updates: connected').waitFor();
    // Only a confirmed order ships (a placed one is 409): on a busy box the placement can answer
    // 202 before the confirmation, which the live panel then shows.
    await page.locator('#order-status', { hasText: 'confirmed' }).waitFor({ timeout: 45_000 });
    await expect(page.getByLabel('Carrier').inputValue()).resolves.toBe('parcelpro');
    await page.getByRole('button', { name: 'Ship' }).click();
    await page
      .locator('#order-status', { hasText: 'shipped' })
      .waitFor({ timeout: 45_000 })
      .catch(async (err) => {
        throw new Error(`${err}\naction result: ${await page.locator('#action-result').textContent()}`);
      });
    const shipped = (await getOrder(stack.api, id)).body;
    expect(shipped.shipping.trackingNumber).toBeTruthy();
    await expect(page.locator('#payment-state').textContent()).resolves.toBe('captured');
    await expect(page.locator('ol.timeline').textContent()).resolves.toMatch(/Ship by ops \(key-[0-9a-f]{8}\)/);

    // Inventory: look up, see the levels, adjust with a reason.
    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('textbox', { name: 'SKU', exact: true }).fill(p.sku);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.locator('#inv-on-hand').textContent()).resolves.toBe('5');
    await checkAxe(page, 'inventory');
    await pageWeight(page, 'inventory');
    await photograph(page, 'inventory');

    const forged = await context.request.post(`${stack.api.url}/console/inventory/${p.sku}/adjust`, {
      form: { onHand: '0', reason: 'forged' },
    });
    expect(forged.status()).toBe(403);
    const view = await getJson(`${stack.api.url}/v1/ops/inventory/${p.sku}`, { headers: authHeader('ops') });
    expect(view.body.onHand).toBe(5);

    await page.getByLabel('New on hand').fill('12');
    await page.getByLabel('Reason', { exact: true }).fill('cycle count');
    await page.getByRole('button', { name: 'Adjust' }).click();
    await page.locator('#inv-on-hand', { hasText: '12' }).waitFor();
    await expect(page.locator('#action-result').textContent()).resolves.toContain('cycle count');
    const after = await getJson(`${stack.api.url}/v1/ops/inventory/${p.sku}`, { headers: authHeader('ops') });
    expect(after.body.onHand).toBe(12);
    await expect(page.getByText(/Adjust on hand by ops \(key-[0-9a-f]{8}\)/).count()).resolves.toBe(1);

    // Search index page (ops): status; Reindex is admin only.
    await page.getByRole('link', { name: 'Search index' }).click();
    await page.getByRole('heading', { name: 'Search index' }).waitFor();
    await page.locator('#sync-lag').waitFor();
    expect(await page.getByRole('button', { name: 'Reindex' }).count()).toBe(0);
    await checkAxe(page, 'search-index');
    await pageWeight(page, 'search-index');
    await photograph(page, 'search-index');
    expect(cspErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('returns: the queue lists a return made through the API; Approve turns it approved; a POST without the token changes nothing; Refund refunds once', async () => {
  const { order, skus } = await deliveredOrder(stack, db, [{ price: 1500, quantity: 2 }]);
  const requested = await requestReturn(stack.api, order.id, { items: [{ sku: skus[0], quantity: 1 }], reason: 'Arrived dented' });
  expect(requested.status).toBe(201);
  const returnId: string = requested.body.id;
  const { context, page, cspErrors } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.support);
    await page.getByRole('link', { name: 'Returns' }).click();
    await page.getByRole('heading', { name: 'Returns', level: 1 }).waitFor();
    await page.getByLabel('Status').selectOption('requested');
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.locator(`tr[data-return="${returnId}"]`);
    await expect(row.textContent()).resolves.toMatch(
      new RegExp(`${order.id}[\\s\\S]*requested[\\s\\S]*1 × ${skus[0]}[\\s\\S]*Arrived dented`),
    );
    await checkAxe(page, 'returns');
    await photograph(page, 'returns');
    await pageWeight(page, 'returns');

    // Without the token: 403, and the return stays requested.
    const forged = await context.request.post(`${stack.api.url}/console/returns/${returnId}/approve`, { form: {} });
    expect(forged.status()).toBe(403);
    expect((await getReturn(stack.api, returnId)).body.status).toBe('requested');

    await page.getByRole('link', { name: returnId }).click();
    await page.locator('#return-status', { hasText: 'requested' }).waitFor();
    // Support sees no Receive (ops only).
    expect(await page.getByRole('button', { name: 'Receive' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(1);
    await checkAxe(page, 'return-requested');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#return-status', { hasText: 'approved' }).waitFor({ timeout: 20_000 });
    const approved = (await getReturn(stack.api, returnId)).body;
    expect(approved.status).toBe('approved');
    expect(approved.label.trackingNumber).toEqual(expect.any(String));
    await expect(page.locator('#action-result').textContent()).resolves.toMatch(/Approve: the API answered 20[02]/);
    await checkAxe(page, 'return-approved');
    await photograph(page, 'return-approved');

    // Refund on the order page: the form's Idempotency-Key makes a second submit of the same form refund nothing more.
    await page.goto(`${stack.api.url}/console/orders/${order.id}`);
    // No waiting for the live stream's first refresh: what is typed survives it.
    await page.getByLabel(/^Amount/).fill('2.50');
    await page.getByLabel('Refund reason').fill('late delivery');
    // The form as it was sent (the live panel may re-render it, with a fresh key, before the click).
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/console/orders/${order.id}/refund`));
    await page.getByRole('button', { name: 'Refund' }).click();
    const form = Object.fromEntries(new URLSearchParams((await sent).postData() ?? ''));
    expect(form.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await eventually(
      async () => /Refund: the API answered 20[12]/.test((await page.locator('#action-result').textContent()) ?? ''),
      20_000,
    );
    await page.locator('#refunded-total').waitFor({ timeout: 20_000 });
    // An accepted action clears its form: the amount is not left for a second click.
    await expect(page.getByLabel(/^Amount/).inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Refund reason').inputValue()).resolves.toBe('');
    // The same form submitted again (a double click past the disabled button, a resent request): refunded once.
    const again = await context.request.post(`${stack.api.url}/console/orders/${order.id}/refund`, { form, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    const after = (await getOrder(stack.api, order.id)).body;
    expect(after.refunds.filter((f: { kind: string }) => f.kind === 'goodwill')).toHaveLength(1);
    expect(after.refunded.amount).toBe(250);
    await checkAxe(page, 'order-refunded');
    expect(cspErrors).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);

test('support cannot open ops pages; sign-out ends the session', async () => {
  const { context, page } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.support);
    expect(await page.getByRole('link', { name: 'Inventory' }).count()).toBe(0);
    const r = await page.goto(`${stack.api.url}/console/inventory`);
    expect(r?.status()).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${stack.api.url}/console`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  } finally {
    await context.close();
  }
});

test('admin: Reindex shows its progress to completion; a bulk stock sync job shows its progress', async () => {
  // The search and stock-sync workflows run on the sync queue of this file's stack.
  const syncWorkers = await startTestWorkers({ queues: ['sync'], overrides: stack.env });
  const a = await createProduct(db, { stock: { 'wh-east': 1 } });
  const b = await createProduct(db, { stock: { 'wh-east': 1 } });
  const { context, page, cspErrors } = await newPage();
  try {
    await signIn(page, stack.api.url, DEV_KEYS.admin);
    await page.getByRole('link', { name: 'Search index' }).click();
    await page.getByRole('button', { name: 'Reindex' }).click();
    await page.locator('#reindex-job', { hasText: 'completed' }).waitFor({ timeout: 45_000 });
    await expect(page.locator('#reindex-job progress').getAttribute('value')).resolves.toBe('100');
    await checkAxe(page, 'search-index-reindexed');

    await page.getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel(/^Rows:/).fill(`${a.sku},9\n${b.sku},4,wh-east\nNO-SUCH-SKU-1,3`);
    await page.getByRole('button', { name: 'Start sync' }).click();
    const job = page.locator('#sync-jobs .job').first();
    await job.filter({ hasText: 'completed' }).waitFor({ timeout: 30_000 });
    await expect(job.textContent()).resolves.toMatch(/3 of 3 rows \(100%\) · applied 2 · unchanged 0 · rejected 1/);
    const view = await getJson(`${stack.api.url}/v1/ops/inventory/${a.sku}`, { headers: authHeader('ops') });
    expect(view.body.onHand).toBe(9);
    await checkAxe(page, 'inventory-sync');
    expect(cspErrors).toEqual([]);
  } finally {
    await context.close();
    await syncWorkers.close();
  }
}, 120_000);

describe('session expiry', () => {
  let shortApi: TestApi;
  beforeAll(async () => {
    shortApi = await startTestApi({ ...stack.env, CONSOLE_SESSION_TTL_SECONDS: '4' });
  });
  afterAll(() => shortApi?.close());

  test('after its lifetime the session is gone: pages send you to sign in, actions change nothing', async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 5 } });
    const placed = await placeOrder(stack.api, orderBody([{ sku: p.sku, quantity: 1 }]));
    const id: string = placed.body.id;
    const { context, page } = await newPage();
    try {
      await signIn(page, shortApi.url, DEV_KEYS.support);
      await page.getByRole('heading', { name: 'Failed orders' }).waitFor();
      // Taken right away (the landing page's sign-out form carries the token): the session is short.
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const cookie = (await context.cookies()).find((c) => c.name === 'cathay_console');
      expect(cookie).toBeDefined();
      const { expires } = cookie as NonNullable<typeof cookie>;
      await new Promise((r) => setTimeout(r, Math.max(0, expires * 1000 - Date.now()) + 1_000));
      // The browser drops the cookie at its Max-Age; a client that keeps it anyway meets the
      // server's own expiry (Redis TTL and the session's recorded end).
      expect((await context.cookies()).map((c) => c.name)).not.toContain('cathay_console');
      await context.addCookies([{ ...(cookie as NonNullable<typeof cookie>), expires: Date.now() / 1000 + 3600 }]);
      const late = await context.request.post(`${shortApi.url}/console/orders/${id}/cancel`, {
        form: { reason: 'too late', confirm: 'yes', _csrf: csrf },
        maxRedirects: 0,
      });
      expect(late.status()).toBe(401);
      expect((await getOrder(stack.api, id)).body.status).toBe('confirmed');
      await page.goto(`${shortApi.url}/console`);
      await page.getByText('Your session has ended').waitFor({ timeout: 5_000 });
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
