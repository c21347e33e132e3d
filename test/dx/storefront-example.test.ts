/**
 * examples/storefront.ts run as a program against a whole local stack (API, workers, payment and
 * carrier sandboxes, mail sink): it browses, searches, gets rates and places an order with a
 * customer token through the typed client; the order it prints is confirmed in Postgres.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createMeili, productIndexes } from '../../search/client';
import { PROJECT_ROOT } from '../../stack/binaries';
import { uniqueId } from '../support/config';
import { type OrderStack, startOrderStack } from '../support/orders';
import { indexProducts, insertProducts } from '../support/search-fixtures';

const run = promisify(execFile);
const prefix = `${process.env.MEILI_INDEX_PREFIX}dx_`;
let stack: OrderStack;
/** Building the index takes the master key: the API itself holds only the search-only key. */
const admin = () =>
  stack && createMeili({ url: stack.api.deps.config.MEILI_URL, apiKey: stack.api.deps.config.MEILI_MASTER_KEY, timeoutMs: 5_000 });

beforeAll(async () => {
  stack = await startOrderStack({ MEILI_INDEX_PREFIX: prefix });
}, 90_000);
afterAll(async () => {
  await admin()?.deleteIndexIfExists(productIndexes(prefix).live);
  await stack?.close();
});

test('the example program browses, searches, gets rates and places a confirmed order as the customer', async () => {
  const T = uniqueId('DX');
  const [product] = await insertProducts(stack.api.deps.db, [
    {
      sku: `${T}-1`,
      name: `Zephyrine${T} kettle`,
      brand: 'Examplebrand',
      category: `${T} kitchen`,
      price: 4_500,
      onHand: 20,
      createdAt: new Date(),
    },
  ]);
  const { db, config } = stack.api.deps;
  await indexProducts(db, admin()!, productIndexes(prefix).live, [product!.id], config.LOW_STOCK_THRESHOLD);
  const customerId = uniqueId('c-dx-');

  const { stdout } = await run(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['examples/storefront.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CATHAY_URL: stack.api.url, STOREFRONT_KEY: 'dev-storefront-key', CUSTOMER_ID: customerId, SKU: `${T}-1` },
    timeout: 60_000,
  });

  expect(stdout).toMatch(new RegExp(`picked ${T}-1`));
  expect(stdout).toMatch(/search "Zephyrine\S+": [1-9]\d* hits/);
  expect(stdout).toMatch(/rates: [1-9] quotes; cheapest \w+\/\w+ \d+ USD/);
  const orderId = /order (\S+): confirmed/.exec(stdout)?.[1];
  expect(orderId).toBeDefined();
  const row = await db.selectFrom('orders').select(['customer_id', 'status']).where('id', '=', orderId!).executeTakeFirstOrThrow();
  expect(row).toEqual({ customer_id: customerId, status: 'confirmed' });
}, 120_000);
