import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { type AppDeps, closeAppDeps, createAppDeps } from '../../api/deps';
import { redisReady } from '../../cache/redis';
import { createLogger } from '../../observability/logger';
import { testConfig } from './config';

export interface TestApi {
  app: Express;
  deps: AppDeps;
  url: string;
  close(): Promise<void>;
}

/** The real app with real clients, listening on an ephemeral port (tests speak HTTP to it). */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const config = testConfig(overrides);
  const deps = createAppDeps(config, createLogger({ level: config.LOG_LEVEL, name: 'test-api' }));
  const app = createApp(deps);
  await redisReady(deps.redis);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
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
