/** Helpers for the returns tests: a delivered order (through carrier webhooks) and the returns calls. */
import type { Db } from '../../db/connection';
import { authHeader, storefrontAs, type TestApi } from './app';
import { uniqueId } from './config';
import { createProduct } from './fixtures';
import { getJson, type Json } from './http';
import { customerOf, eventually, type OrderStack, orderBody, placeOrder, shipOrder, waitForOrder } from './orders';

export async function advanceParcel(stack: OrderStack, trackingNumber: string) {
  const r = await fetch(`${stack.carriers.url}/__advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ trackingNumber }),
  });
  const body = (await r.json()) as Json;
  if (r.status !== 200) throw new Error(`advance ${trackingNumber}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

/** Places, ships (label booked) and delivers an order through the carrier sandbox's webhooks. */
export async function deliveredOrder(stack: OrderStack, db: Db, lines: Array<{ price: number; quantity: number }>) {
  const products = [];
  for (const l of lines) products.push(await createProduct(db, { priceAmount: l.price, stock: { 'wh-east': 10 } }));
  const placed = await placeOrder(
    stack.api,
    orderBody(
      products.map((p, i) => ({ sku: p.sku, quantity: (lines[i] as { quantity: number }).quantity })),
      { shipping: { carrier: 'parcelpro', service: 'priority' } },
    ),
  );
  if (placed.status !== 201 && placed.status !== 202) throw new Error(`order not placed: ${placed.status} ${JSON.stringify(placed.body)}`);
  // 202 on a loaded box: the order confirms a little later.
  if (placed.status === 202) await waitForOrder(stack.api, placed.body.id, (o) => o.status === 'confirmed', 30_000);
  const shipped = await shipOrder(stack.api, placed.body.id);
  if (shipped.status !== 200) throw new Error(`order not shipped: ${shipped.status} ${JSON.stringify(shipped.body)}`);
  for (let i = 0; i < 3; i++) await advanceParcel(stack, shipped.body.shipping.trackingNumber);
  const order = await waitForOrder(stack.api, placed.body.id, (o) => o.status === 'delivered');
  return { order, skus: products.map((p) => p.sku) };
}

/** POST /v1/orders/{id}/returns as the storefront, for the order's own customer (or `customerId`). */
export async function requestReturn(api: TestApi, orderId: string, body: Json, key = uniqueId('rk-'), customerId?: string) {
  const who = customerId ?? (orderId === 'ord_missing' ? 'nobody' : await customerOf(api, orderId));
  return getJson(`${api.url}/v1/orders/${orderId}/returns`, {
    method: 'POST',
    headers: { ...(await storefrontAs(who)), 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

export function opsReturn(api: TestApi, returnId: string, action: 'approve' | 'reject' | 'receive' | 'retry', body?: Json) {
  const role = action === 'receive' ? 'ops' : 'support';
  return getJson(`${api.url}/v1/ops/returns/${returnId}/${action}`, {
    method: 'POST',
    headers: { ...authHeader(role), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

export function getReturn(api: TestApi, returnId: string) {
  return getJson(`${api.url}/v1/ops/returns/${returnId}`, { headers: authHeader('support') });
}

export async function waitForReturn(api: TestApi, returnId: string, predicate: (r: Json) => boolean, timeoutMs = 20_000) {
  let last: Json;
  return eventually(async () => {
    const r = await getReturn(api, returnId);
    last = r.body;
    return r.status === 200 && predicate(r.body) ? r.body : undefined;
  }, timeoutMs).catch((err) => {
    throw new Error(`return ${returnId} did not reach the expected state; last seen ${JSON.stringify(last)} (${err})`);
  });
}

export async function paymentLedger(stack: OrderStack, orderId: string) {
  const r = await fetch(`${stack.payments.url}/__ledger?reference=${orderId}`);
  return (await r.json()) as Json;
}
