/**
 * The typed storefront client: openapi-fetch over the types generated from the API's own OpenAPI
 * document (schema.d.ts, `npm run client:generate`). Paths, parameters, bodies and answers are
 * checked by the compiler; nothing here is written by hand but the credentials.
 *
 *   const shop = createStorefrontClient({ baseUrl, apiKey });
 *   const { data } = await shop.GET('/v1/products/{idOrSku}', { params: { path: { idOrSku: 'SKU-1' } } });
 *   const mine = shop.forCustomer(token);   // customer-scoped calls carry X-Customer-Token
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type Schemas = components['schemas'];
export type StorefrontClient = Client<paths> & {
  /** The same client sending the customer's token: orders, history, cancel, returns. */
  forCustomer(customerToken: string): Client<paths>;
};

export interface StorefrontClientOptions {
  /** The API's origin, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** The storefront API key. It belongs in the shop's server, never in a browser. */
  apiKey: string;
  /** A fetch of your own (tests, retries, tracing); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

function headerMiddleware(headers: Record<string, string>): Middleware {
  return {
    onRequest({ request }) {
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      return request;
    },
  };
}

function client(options: StorefrontClientOptions, headers: Record<string, string>): Client<paths> {
  const c = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  c.use(headerMiddleware({ authorization: `Bearer ${options.apiKey}`, ...headers }));
  return c;
}

export function createStorefrontClient(options: StorefrontClientOptions): StorefrontClient {
  return Object.assign(client(options, {}), {
    forCustomer: (customerToken: string) => client(options, { 'x-customer-token': customerToken }),
  });
}
