/**
 * What a storefront's server does with Cathay Shop, through the typed client: browse the catalog,
 * search, ask for live shipping rates, place an order for a signed-in customer, read it back.
 *
 *   npm run dev                      # in another terminal: the whole local stack
 *   npx tsx examples/storefront.ts   # CATHAY_URL, STOREFRONT_KEY, CUSTOMER_ID to change
 */
import { randomUUID } from 'node:crypto';
import { createStorefrontClient, type Schemas } from '../clients/storefront';
import { mintCustomerToken } from '../clients/storefront/dev-token';

export interface ExampleOptions {
  baseUrl: string;
  apiKey: string;
  customerId: string;
  /** Order this sku instead of the first one in stock on the first page. */
  sku?: string;
  /** The customer's token; minted with the dev secret when absent (local stack only). */
  customerToken?: string;
  log?: (line: string) => void;
}

export interface ExampleResult {
  browsed: number;
  searchHits: number;
  quote: Schemas['ShippingQuote'];
  order: Schemas['Order'];
}

/** Unwraps an openapi-fetch answer: the data, or an error carrying the problem's code. */
function expectData<T>(what: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data !== undefined) return answer.data;
  const problem = answer.error as { code?: string; detail?: string } | undefined;
  throw new Error(`${what}: ${answer.response.status} ${problem?.code ?? ''} ${problem?.detail ?? ''}`.trim());
}

export async function runStorefrontExample(opts: ExampleOptions): Promise<ExampleResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const shop = createStorefrontClient({ baseUrl: opts.baseUrl, apiKey: opts.apiKey });

  // 1. Browse: a page of the catalog, then the first product that can be ordered now.
  const page = expectData('browse', await shop.GET('/v1/products', { params: { query: { limit: 20 } } }));
  const product = opts.sku
    ? expectData('product', await shop.GET('/v1/products/{idOrSku}', { params: { path: { idOrSku: opts.sku } } }))
    : page.data.find((p) => p.availability?.status !== 'out_of_stock');
  if (!product) throw new Error('browse: no product in stock on the first page');
  log(`browse: ${page.data.length} products; picked ${product.sku} "${product.name}"`);

  // 2. Search: the first word of its name, in stock only, with facets.
  const word = product.name?.split(/\s+/)[0] ?? '';
  const found = expectData('search', await shop.GET('/v1/search', { params: { query: { q: word, inStock: true, limit: 5 } } }));
  log(`search "${word}": ${found.total} hits, ${Object.keys(found.facets.category).length} categories`);

  // 3. Live rates for one unit to a US address; the cheapest quote wins.
  const destination = { country: 'US', postalCode: '94107', city: 'San Francisco' };
  const items = [{ sku: product.sku as string, quantity: 1 }];
  const rates = expectData('rates', await shop.POST('/v1/shipping/rates', { body: { destination, items } }));
  const quote = [...rates.quotes].sort((a, b) => a.amount.amount - b.amount.amount)[0];
  if (!quote) throw new Error(`rates: no carrier answered (${rates.unavailable.map((u) => u.carrier).join(', ')})`);
  log(`rates: ${rates.quotes.length} quotes; cheapest ${quote.carrier}/${quote.service} ${quote.amount.amount} ${quote.amount.currency}`);

  // 4. Place the order for the signed-in customer: their token, an Idempotency-Key per attempt.
  const token = opts.customerToken ?? (await mintCustomerToken(opts.customerId));
  const customer = shop.forCustomer(token);
  const placed = expectData(
    'place order',
    await customer.POST('/v1/orders', {
      params: { header: { 'idempotency-key': randomUUID() } },
      body: {
        customerId: opts.customerId,
        email: 'ada@example.com',
        items,
        shippingAddress: {
          name: 'Ada Lovelace',
          line1: '1 Market St',
          city: destination.city,
          postalCode: destination.postalCode,
          country: 'US',
        },
        shipping: { quoteId: quote.quoteId },
        payment: { token: 'tok_visa' },
      },
    }),
  );
  log(`order ${placed.id}: ${placed.status}, total ${placed.totals.total.amount} ${placed.totals.total.currency}`);

  // 5. Read it back as the customer would see it.
  const order = expectData('read order', await customer.GET('/v1/orders/{id}', { params: { path: { id: placed.id } } }));
  log(`order ${order.id} reads ${order.status}; timeline: ${order.timeline.map((t) => t.status).join(' → ')}`);
  return { browsed: page.data.length, searchHits: found.total, quote, order };
}

if (require.main === module) {
  runStorefrontExample({
    baseUrl: process.env.CATHAY_URL ?? 'http://127.0.0.1:3000',
    apiKey: process.env.STOREFRONT_KEY ?? 'dev-storefront-key',
    customerId: process.env.CUSTOMER_ID ?? 'c-example',
    ...(process.env.SKU ? { sku: process.env.SKU } : {}),
    ...(process.env.CUSTOMER_TOKEN ? { customerToken: process.env.CUSTOMER_TOKEN } : {}),
  }).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
