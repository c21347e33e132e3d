/**
 * The soak's browsing traffic, shared by the soak (run.ts) and the side-by-side GC comparison
 * (gc-by-route.ts): the mix sent per order placed, and one request of each browsing route.
 */
import type { ChaosStack } from '../chaos/stack';

/**
 * The traffic sent per order placed, as a storefront sends it for each checkout: product pages,
 * list pages, searches and a shipping quote. The capacity run and the soak send this same mix, so
 * "half the capacity" is half of what the box does with the whole traffic. (Sizing from orders
 * alone and adding browsing on top left a 2-core box at load 3.5–5.5: docs/reliability.md, run 3.)
 */
export const MIX_PER_ORDER = { product: 4, list: 1, search: 2, rates: 1 } as const;
export type BrowseRoute = keyof typeof MIX_PER_ORDER;

/**
 * A shopper's own address, one of 10,000: a quote is asked at checkout for that shopper's address
 * and cart, so most quotes miss the quote cache and run the quote workflow, as in a shop. (With
 * one address every quote after the first minute was a cache hit, and all of them expired
 * together at the TTL, 15 minutes later: runs 4 and 5, docs/reliability.md.)
 */
export const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(Math.random() * xs.length)] as T;
const anyPostcode = () => `SW${1 + Math.floor(Math.random() * 20)} ${pick('0123456789')}${pick('ABDEFGHJLN')}${pick('PQRST')}`;

/** How a request is sent: the soak times and counts it per route, the GC comparison only sends it. */
export type Send = (route: BrowseRoute, url: string, init?: RequestInit) => Promise<unknown>;

/** One request of each browsing route to the API at `apiUrl`, against plentiful-stock products. */
export function browseRequests(apiUrl: string, skus: ChaosStack['skus'], send: Send): Record<BrowseRoute, () => Promise<unknown>> {
  const anySku = () => pick(skus).sku;
  return {
    product: () => send('product', `${apiUrl}/v1/products/${anySku()}`),
    list: () => send('list', `${apiUrl}/v1/products?limit=20`),
    search: () => send('search', `${apiUrl}/v1/search?q=product&limit=10`),
    rates: () =>
      send('rates', `${apiUrl}/v1/shipping/rates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ destination: { country: 'GB', postalCode: anyPostcode() }, items: [{ sku: anySku(), quantity: 1 }] }),
      }),
  };
}
