import { Client, Connection, type ConnectionLike, type HealthService } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { LazyNativeConnection } from './native-connection';
import { type CodecConfig, payloadCodecFromConfig } from './payload-codec';

/**
 * The data converter every client and worker of the engine uses: payloads encrypted with the
 * configured keys (temporal/payload-codec.ts). A client without it could neither read what the
 * workers write nor keep tokens and addresses out of the histories, so the factory requires it.
 */
export function temporalDataConverter(config: CodecConfig): DataConverter {
  return { payloadCodecs: [payloadCodecFromConfig(config)] };
}

/** How a client connects: grpc-js, or the SDK's Rust core (config: API_TEMPORAL_TRANSPORT). */
export type TemporalTransport = Config['API_TEMPORAL_TRANSPORT'];

/** What the engine needs of a Temporal connection, whichever transport carries it. */
export type TemporalConnection = ConnectionLike & { healthService: HealthService };

/**
 * A Temporal client whose connection is opened lazily, so the process starts (and the API answers
 * /healthz and cached reads) while Temporal is still coming up; calls fail fast until it is
 * reachable. `transport`: grpc-js (`Connection`), or the SDK's Rust core (`LazyNativeConnection`,
 * the API's: why in temporal/native-connection.ts).
 */
export function createTemporalClient(opts: {
  address: string;
  namespace: string;
  dataConverter: DataConverter;
  transport?: TemporalTransport;
}): {
  client: Client;
  connection: TemporalConnection;
} {
  const connection =
    opts.transport === 'native' ? new LazyNativeConnection(opts.address) : Connection.lazy({ address: opts.address, connectTimeout: '2s' });
  return { client: new Client({ connection, namespace: opts.namespace, dataConverter: opts.dataConverter }), connection };
}

/** Health of the frontend service, bounded by a deadline. */
export function checkTemporal(connection: TemporalConnection, timeoutMs = 1_000): Promise<unknown> {
  return connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
}
