/**
 * api/http-server.ts: Node builds each request and response with the app's prototypes, so
 * Express's per-request Object.setPrototypeOf changes nothing (what kept a quarter of every
 * request's garbage alive across young-generation GCs; see the module's comment).
 */
import { IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHttpServer } from '../../api/http-server';

async function serve(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('requests and responses carry the app prototypes before Express sees them, and still behave as Node objects', async () => {
  const app = express();
  app.get('/x', (req, res) => {
    res.set('X-Seen', req.get('x-probe') ?? '').json({ path: req.path, query: req.query });
  });
  const server = createHttpServer(app);
  const seen: { req: boolean; res: boolean; instance: boolean }[] = [];
  // Runs before the app's own listener: what Node built, untouched by Express.
  server.prependListener('request', (req, res) => {
    seen.push({
      req: Object.getPrototypeOf(req) === app.request,
      res: Object.getPrototypeOf(res) === app.response,
      instance: req instanceof IncomingMessage && res instanceof ServerResponse,
    });
  });
  const url = await serve(server);
  try {
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${url}/x?i=${i}`, { headers: { 'x-probe': `p${i}` } });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-seen')).toBe(`p${i}`);
      await expect(r.json()).resolves.toEqual({ path: '/x', query: { i: String(i) } });
    }
    expect(seen).toEqual(Array(3).fill({ req: true, res: true, instance: true }));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("Express's own listen builds plain Node objects (what createHttpServer avoids)", async () => {
  const app = express();
  app.get('/x', (_req, res) => res.end('ok'));
  let prebuilt: boolean | undefined;
  const server = app.listen(0, '127.0.0.1');
  server.prependListener('request', (req) => {
    prebuilt = Object.getPrototypeOf(req) === app.request;
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
    await r.text();
    expect(prebuilt).toBe(false);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
