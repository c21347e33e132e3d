/** With Temporal unreachable, placing an order is a prompt 503 dependency_unavailable, never a hang. */

import { createDb, type Db } from '../../db/connection';
import { freePort } from '../../stack/processes';
import { startTestApi, type TestApi } from '../support/app';
import { createProduct } from '../support/fixtures';
import { orderBody, placeOrder } from '../support/orders';

let api: TestApi;
let db: Db;
beforeAll(async () => {
  db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
  api = await startTestApi({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
});
afterAll(async () => {
  // The Temporal client's gRPC retry timers of the failed calls run until their deadlines (the
  // synchronous window); closing the connection under a pending retry makes it throw from a
  // timer, which would crash whatever test file runs next in this jest worker. Let them end.
  await new Promise((r) => setTimeout(r, 6_000));
  await api?.close();
  await db?.destroy();
}, 20_000);

test('POST /v1/orders → 503 dependency_unavailable with Retry-After', async () => {
  const p = await createProduct(db, { stock: { 'wh-east': 1 } });
  const r = await placeOrder(api, orderBody([{ sku: p.sku, quantity: 1 }]));
  expect(r.status).toBe(503);
  expect(r.body.code).toBe('dependency_unavailable');
  expect(r.headers.get('retry-after')).toEqual(expect.any(String));
  expect(JSON.stringify(r.body)).not.toMatch(/127\.0\.0\.1|grpc|stack/i);
}, 15_000);
