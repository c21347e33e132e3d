import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { closeAppDeps, createAppDeps } from '../api/deps';
import { createHttpServer } from '../api/http-server';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';

/**
 * The OpenAPI document exactly as the API serves it: the app is built with the environment's
 * configuration and asked for `GET /openapi.json` over loopback. Nothing is queried but the
 * document (building the app opens no connection until a route needs one).
 */
export async function servedOpenApiDocument(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, unknown>> {
  const config = loadConfig(env);
  const deps = createAppDeps(config, createLogger({ level: 'silent', name: 'openapi' }));
  const server = createHttpServer(createApp(deps)).listen(0, '127.0.0.1');
  try {
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeAppDeps(deps);
  }
}
