/**
 * Storefront-like clients: each order request has its own Idempotency-Key, and on any error that
 * is not a final answer (network error, timeout, 5xx, 429) the client sends the same request
 * again with the same key — what a shop's server does when the engine hiccups.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { sleep } from '../../stack/processes';
import { KEYS } from './constants';

const CUSTOMER_TOKEN_SECRET = new TextEncoder().encode(process.env.CUSTOMER_TOKEN_SECRET ?? 'dev-customer-token-secret');
const tokens = new Map<string, string>();

/**
 * The headers of a customer-scoped storefront call: the storefront key plus the customer's own
 * token (X-Customer-Token, HS256, sub = customer id). The one place that knows about them.
 */
export async function storefrontHeaders(customerId: string): Promise<Record<string, string>> {
  let token = tokens.get(customerId);
  if (!token) {
    token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(customerId)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(CUSTOMER_TOKEN_SECRET);
    tokens.set(customerId, token);
  }
  return { authorization: `Bearer ${KEYS.storefront}`, 'x-customer-token': token };
}

export function staffHeaders(role: 'support' | 'ops' | 'admin'): Record<string, string> {
  return { authorization: `Bearer ${KEYS[role]}` };
}

export interface OrderRequest {
  key: string;
  customerId: string;
  body: Record<string, unknown>;
}

export interface OrderOutcome {
  request: OrderRequest;
  /** Final HTTP status (201/202 placed, 402/409 refused), or 0 when the client gave up. */
  status: number;
  orderId: string | undefined;
  orderStatus: string | undefined;
  attempts: number;
  /** HTTP statuses or error names of the attempts that were resent, for the report. */
  errors: string[];
  firstSentAt: number;
  answeredAt: number | undefined;
}

export function newOrderRequest(skus: readonly { sku: string }[], customers: number, opts: { token?: string } = {}): OrderRequest {
  const customerId = `chaos-cust-${Math.floor(Math.random() * customers)}`;
  // One or two distinct skus, never more than there are: with one sku (scenario 8's probe) a
  // draw of two lines looped forever, the runner at 100% CPU with its timers starved.
  const lines = 1 + Math.floor(Math.random() * Math.min(2, skus.length));
  const picked = new Set<string>();
  while (picked.size < lines) picked.add(skus[Math.floor(Math.random() * skus.length)]?.sku as string);
  return {
    key: `chaos-${randomBytes(8).toString('hex')}`,
    customerId,
    body: {
      customerId,
      email: `${customerId}@example.com`,
      items: [...picked].map((sku) => ({ sku, quantity: 1 + Math.floor(Math.random() * 2) })),
      shippingAddress: { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
      shipping: { carrier: 'parcelpro', service: 'standard' },
      payment: { token: opts.token ?? 'tok_visa' },
    },
  };
}

const FINAL = new Set([200, 201, 202, 400, 402, 404, 409, 422]);

/** Sends the request until it gets a final answer (or `giveUpMs` passes), resending with its key. */
export async function placeWithRetries(apiUrl: string, req: OrderRequest, giveUpMs = 8 * 60_000): Promise<OrderOutcome> {
  const out: OrderOutcome = {
    request: req,
    status: 0,
    orderId: undefined,
    orderStatus: undefined,
    attempts: 0,
    errors: [],
    firstSentAt: Date.now(),
    answeredAt: undefined,
  };
  let backoff = 250;
  while (Date.now() - out.firstSentAt < giveUpMs) {
    out.attempts++;
    try {
      const res = await fetch(`${apiUrl}/v1/orders`, {
        method: 'POST',
        headers: { ...(await storefrontHeaders(req.customerId)), 'content-type': 'application/json', 'idempotency-key': req.key },
        body: JSON.stringify(req.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (FINAL.has(res.status)) {
        const body = text ? (JSON.parse(text) as { id?: string; status?: string }) : {};
        out.status = res.status;
        out.orderId = body.id;
        out.orderStatus = body.status;
        out.answeredAt = Date.now();
        return out;
      }
      out.errors.push(String(res.status));
      const retryAfter = Number(res.headers.get('retry-after'));
      if (retryAfter > 0) backoff = Math.max(backoff, retryAfter * 1000);
    } catch (err) {
      out.errors.push(
        (err as Error).name === 'TimeoutError' ? 'timeout' : ((err as { cause?: { code?: string } }).cause?.code ?? 'network'),
      );
    }
    await sleep(backoff + Math.random() * backoff);
    backoff = Math.min(3_000, backoff * 2);
  }
  return out;
}

/** Runs `total` order requests with `concurrency` in flight; `onPlaced` sees each outcome. */
export async function orderLoad(
  apiUrl: string,
  opts: { total: number; concurrency: number; makeRequest: () => OrderRequest; onOutcome?: (o: OrderOutcome) => void; giveUpMs?: number },
): Promise<OrderOutcome[]> {
  const outcomes: OrderOutcome[] = [];
  let next = 0;
  const client = async () => {
    while (next < opts.total) {
      next++;
      const o = await placeWithRetries(apiUrl, opts.makeRequest(), opts.giveUpMs);
      outcomes.push(o);
      opts.onOutcome?.(o);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, client));
  return outcomes;
}
