/**
 * Order history at scale, written by Postgres itself (generate_series: no row crosses the wire):
 * `count` orders with one line and two timeline events each (placed + final status), spread over
 * the two years before the seed's reference date. One heavy customer holds `heavyOrders` of them,
 * the others about ten each; 1% are `failed` (support's queue), 2% `cancelled`, the rest
 * `delivered`. Lines point at existing catalog SKUs.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/database';
import { SEED_REFERENCE_DATE } from '../../db/seed';

export const HEAVY_CUSTOMER = 'cust-heavy';

export async function seedOrders(db: Kysely<Database>, opts: { count: number; heavyOrders: number; products: number }): Promise<void> {
  const { count, heavyOrders, products } = opts;
  const typical = Math.max(1, Math.floor((count - heavyOrders) / 10));
  const spanMs = 730 * 86_400_000;
  await sql`
    INSERT INTO orders (id, customer_id, email, status, currency, subtotal_amount, shipping_amount, total_amount,
      shipping_address, shipping_carrier, shipping_service, failure, idempotency_key, request_hash, workflow_id,
      created_at, updated_at)
    SELECT 'ord-seed-' || i,
      CASE WHEN i % ${Math.max(1, Math.floor(count / heavyOrders))} = 0 AND i / ${Math.max(1, Math.floor(count / heavyOrders))} <= ${heavyOrders}
           THEN ${HEAVY_CUSTOMER} ELSE 'cust-' || (i % ${typical}) END,
      'c' || (i % ${typical}) || '@example.com',
      CASE WHEN i % 100 = 7 THEN 'failed' WHEN i % 50 = 3 THEN 'cancelled' ELSE 'delivered' END,
      'USD', 1000 + i % 90000, 599, 1599 + i % 90000,
      '{"name":"Seed","line1":"1 Main St","city":"Springfield","postalCode":"10001","country":"US"}'::jsonb,
      'swiftship', 'ground',
      CASE WHEN i % 100 = 7 THEN '{"code":"payment_provider_unavailable","message":"timeout","step":"authorize","retryable":true}'::jsonb END,
      'seed-' || i, md5(i::text), 'order-ord-seed-' || i,
      ${SEED_REFERENCE_DATE.toISOString()}::timestamptz - ((${count} - i) * (${spanMs}::float8 / ${count}) || ' milliseconds')::interval,
      ${SEED_REFERENCE_DATE.toISOString()}::timestamptz - ((${count} - i) * (${spanMs}::float8 / ${count}) || ' milliseconds')::interval
    FROM generate_series(1, ${count}) AS i
  `.execute(db);
  await sql`
    INSERT INTO order_lines (order_id, line_no, sku, name, quantity, unit_price_amount, line_total_amount)
    SELECT 'ord-seed-' || i, 1,
      'SKU-' || lpad(s::text, greatest(6, length(s::text)), '0'),
      'Seeded line', 1 + i % 3, 1000, 1000 * (1 + i % 3)
    FROM generate_series(1, ${count}) AS i, LATERAL (SELECT 1 + (i::bigint * 7919) % ${products} AS s) x
  `.execute(db);
  await sql`
    INSERT INTO order_events (order_id, event_key, status, at)
    SELECT o.id, k.key, k.status, o.created_at
    FROM orders o CROSS JOIN LATERAL (VALUES ('placed', 'placed'), (o.status, o.status)) AS k(key, status)
    WHERE o.id LIKE 'ord-seed-%'
  `.execute(db);
  await sql`ANALYZE orders, order_lines, order_events`.execute(db);
}
