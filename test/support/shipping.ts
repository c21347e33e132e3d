/** Shared set-up of the shipping tests: products with weights, a carrier sandbox, orders rows. */
import type { Db } from '../../db/connection';
import { startCarrierSandbox } from '../../integrations/sandbox/carrier-server';
import { uniqueId } from './config';
import { getJson } from './http';

export const WEBHOOK_SECRET = 'dev-webhook-secret';

export async function insertProducts(db: Db, weights: number[]): Promise<string[]> {
  const skus = weights.map(() => uniqueId('SHIP-'));
  await db
    .insertInto('products')
    .values(
      skus.map((sku, i) => ({
        sku,
        name: `Parcel test ${sku}`,
        brand: 'Acme',
        category: 'test',
        description: 'shipping test product',
        currency: 'USD',
        price_amount: 1000,
        images: JSON.stringify([]),
        attributes: JSON.stringify({ weightGrams: weights[i] }),
      })),
    )
    .execute();
  return skus;
}

export async function insertOrder(db: Db): Promise<string> {
  const id = uniqueId('ord_');
  await db
    .insertInto('orders')
    .values({
      id,
      customer_id: 'c-ship',
      email: 'ship@example.com',
      status: 'confirmed',
      currency: 'USD',
      subtotal_amount: 1000,
      shipping_amount: 650,
      total_amount: 1650,
      shipping_address: JSON.stringify(ADDRESS),
      shipping_carrier: 'swiftship',
      shipping_service: 'ground',
      idempotency_key: id,
      request_hash: id,
      workflow_id: `order-${id}`,
    })
    .execute();
  return id;
}

export const ADDRESS = { name: 'Ada Lovelace', line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' };

export type Sandbox = Awaited<ReturnType<typeof startCarrierSandbox>>;

export async function startSandbox(webhookUrl: string | null = null): Promise<Sandbox> {
  return startCarrierSandbox({ port: 0, webhookUrl, secret: WEBHOOK_SECRET });
}

export async function control(sandbox: Sandbox, path: string, body: unknown) {
  return getJson(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A US postal code nobody else in this run uses, so each test has its own cache entries. */
let seq = 0;
export function freshPostalCode(): string {
  seq++;
  return `${(Date.now() % 90_000) + 10_000 + seq}`.slice(0, 5) + String(seq).padStart(3, '0');
}
