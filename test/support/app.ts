import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { signCustomerToken } from '../../api/customer-token';
import { type AppDeps, closeAppDeps, createAppDeps } from '../../api/deps';
import { createHttpServer } from '../../api/http-server';
import { redisReady } from '../../cache/redis';
import { DEV_CUSTOMER_TOKEN_SECRET } from '../../config';
import { createLogger } from '../../observability/logger';
import { testConfig } from './config';
import { quietRuntime } from './quiet-runtime';

export interface TestApi {
  app: Express;
  deps: AppDeps;
  url: string;
  close(): Promise<void>;
}

/** The real app with real clients, listening on an ephemeral port (tests speak HTTP to it). */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const config = testConfig(overrides);
  quietRuntime(); // the API's Temporal client runs on the core (temporal/native-connection.ts)
  const deps = createAppDeps(config, createLogger({ level: config.LOG_LEVEL, name: 'test-api' }));
  const app = createApp(deps);
  await redisReady(deps.redis);
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    deps,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await closeAppDeps(deps);
    },
  };
}

export const DEV_KEYS = {
  storefront: 'dev-storefront-key',
  support: 'dev-support-key',
  ops: 'dev-ops-key',
  admin: 'dev-admin-key',
} as const;

export function authHeader(role: keyof typeof DEV_KEYS): Record<string, string> {
  return { authorization: `Bearer ${DEV_KEYS[role]}` };
}

/**
 * A customer token as the shop's sign-in would issue it (HS256, sub = customer id), signed with
 * the dev CUSTOMER_TOKEN_SECRET the test APIs run with.
 */
export function customerToken(customerId: string, opts: { ttlSeconds?: number; secret?: string } = {}): Promise<string> {
  return signCustomerToken(opts.secret ?? DEV_CUSTOMER_TOKEN_SECRET, customerId, opts.ttlSeconds);
}

/** Headers of a storefront call made for `customerId`: the storefront key and that customer's token. */
export async function storefrontAs(customerId: string): Promise<Record<string, string>> {
  return { ...authHeader('storefront'), 'x-customer-token': await customerToken(customerId) };
}
