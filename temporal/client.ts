import { Client, Connection } from '@temporalio/client';

/**
 * A Temporal client whose connection is opened lazily, so the API starts (and answers /healthz
 * and cached reads) while Temporal is still coming up; calls fail fast until it is reachable.
 */
export function createTemporalClient(opts: { address: string; namespace: string }): { client: Client; connection: Connection } {
  const connection = Connection.lazy({ address: opts.address, connectTimeout: '2s' });
  return { client: new Client({ connection, namespace: opts.namespace }), connection };
}

/** Health of the frontend service, bounded by a deadline. */
export function checkTemporal(connection: Connection, timeoutMs = 1_000): Promise<unknown> {
  return connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
}
