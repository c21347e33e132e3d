/**
 * The API's Temporal connection through the SDK's core (temporal/native-connection.ts) keeps
 * what grpc-js gave the API: it starts without Temporal and connects on first use (again after a
 * failed attempt), answers at the call's deadline and on its abort signal even while the server
 * cannot be reached (the core alone retries ~9 s), and fails with the gRPC status errors the
 * SDK and the API's error mapping know.
 */
import net from 'node:net';
import { Client, isGrpcCancelledError, isGrpcDeadlineError, isGrpcServiceError } from '@temporalio/client';
import { isTemporalUnavailable } from '../../api/orders/temporal-errors';
import { freePort } from '../../stack/processes';
import { checkTemporal } from '../../temporal/client';
import { LazyNativeConnection } from '../../temporal/native-connection';
import { testConfig } from '../support/config';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { quietRuntime } from '../support/quiet-runtime';

const temporal = (() => {
  const [host, port] = testConfig().TEMPORAL_ADDRESS.split(':');
  return { host: host as string, port: Number(port) };
})();

const elapsed = async (fn: () => Promise<unknown>): Promise<{ ms: number; err: unknown }> => {
  const started = Date.now();
  try {
    await fn();
    return { ms: Date.now() - started, err: undefined };
  } catch (err) {
    return { ms: Date.now() - started, err };
  }
};

describe('LazyNativeConnection', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    quietRuntime();
    proxy = await startFaultProxy(temporal);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  test('constructed while Temporal is unreachable; fails fast with UNAVAILABLE, then connects once it is back', async () => {
    proxy.cut();
    const conn = new LazyNativeConnection(`127.0.0.1:${proxy.port}`);
    try {
      const down = await elapsed(() => checkTemporal(conn, 1_000));
      expect(isGrpcServiceError(down.err)).toBe(true);
      expect(isTemporalUnavailable(down.err)).toBe(true);
      expect(down.ms).toBeLessThan(1_500);

      proxy.restore();
      await expect(checkTemporal(conn, 5_000)).resolves.toBeDefined();
      const client = new Client({ connection: conn, namespace: testConfig().TEMPORAL_NAMESPACE });
      const missing = await elapsed(() => client.workflow.getHandle(`no-such-${Date.now()}`).describe());
      expect((missing.err as Error).name).toBe('WorkflowNotFoundError');
    } finally {
      await conn.close();
    }
  });

  test('a server that accepts but never answers: the call ends at its deadline with DEADLINE_EXCEEDED', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s)); // holds every connection open, says nothing
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    const conn = new LazyNativeConnection(`127.0.0.1:${port}`);
    try {
      const r = await elapsed(() => conn.withDeadline(Date.now() + 600, () => conn.healthService.check({})));
      expect(isGrpcDeadlineError(r.err)).toBe(true);
      expect(isTemporalUnavailable(r.err)).toBe(true);
      expect(r.ms).toBeGreaterThanOrEqual(550);
      expect(r.ms).toBeLessThan(1_500);
    } finally {
      await conn.close();
      // The core's own connect attempt would otherwise wait ~30 s on this server (and hold the process).
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  test('a server that went away after connecting: the deadline holds, the core does not keep the caller', async () => {
    const conn = new LazyNativeConnection(`127.0.0.1:${proxy.port}`);
    try {
      await checkTemporal(conn, 5_000);
      proxy.cut();
      const r = await elapsed(() => checkTemporal(conn, 800));
      expect(isTemporalUnavailable(r.err)).toBe(true);
      expect(r.ms).toBeLessThan(1_500);
    } finally {
      proxy.restore();
      await conn.close();
    }
  });

  test('a long poll is cut at its deadline, and at once by its abort signal', async () => {
    const conn = new LazyNativeConnection(testConfig().TEMPORAL_ADDRESS);
    const client = new Client({ connection: conn, namespace: testConfig().TEMPORAL_NAMESPACE });
    try {
      // A workflow no worker polls for: its result never comes.
      const handle = await client.workflow.start('nobodyRunsThis', {
        taskQueue: `native-connection-${process.pid}`,
        workflowId: `native-connection-${Date.now()}`,
        workflowExecutionTimeout: '1 minute',
      });
      const byDeadline = await elapsed(() => conn.withDeadline(Date.now() + 400, () => handle.result()));
      expect(isGrpcDeadlineError(byDeadline.err)).toBe(true);
      expect(byDeadline.ms).toBeLessThan(1_500);

      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), 200);
      const byAbort = await elapsed(() =>
        conn.withAbortSignal(ctrl.signal, () => conn.withDeadline(Date.now() + 10_000, () => handle.result())),
      );
      expect(isGrpcCancelledError(byAbort.err)).toBe(true);
      expect(byAbort.ms).toBeLessThan(1_500);
      await handle.terminate('test done');
    } finally {
      await conn.close();
    }
  });

  test('closed: calls fail instead of reconnecting', async () => {
    const conn = new LazyNativeConnection(testConfig().TEMPORAL_ADDRESS);
    await checkTemporal(conn, 5_000);
    await conn.close();
    const r = await elapsed(() => checkTemporal(conn, 1_000));
    expect(isGrpcServiceError(r.err)).toBe(true);
  });
});
