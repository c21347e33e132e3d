/**
 * A Temporal connection through the SDK's Rust core (`NativeConnection`) instead of grpc-js,
 * opened on first use, for the API's client.
 *
 * Why not grpc-js: on Node 20 every HTTP/2 request grpc-js makes runs `AsyncResource.bind`,
 * which wraps two fresh closures with `util.deprecate` and so calls `Object.setPrototypeOf` on
 * them (nodejs/node#58218, fixed in Node 24). V8 then keeps each call's objects alive past the
 * next young-generation GC until a full one: with the soak's traffic 15–17% of what the API
 * allocated survived its scavenges on the routes that call Temporal, 4–6% on the others, and
 * the API spent that in GC pauses on every route (docs/benchmarks.md). The core's client
 * allocates nothing of the kind in the API's heap.
 *
 * What grpc-js did that the core does not, done here instead:
 * - lazy: the API starts (and serves cached reads) while Temporal is down; a connection is made
 *   by the first call, and again by the next call after a failed attempt;
 * - deadlines: the core retries a call whose server is unreachable about ten times (~9 s)
 *   whatever its deadline; here the caller gets DEADLINE_EXCEEDED at its deadline (the core's
 *   retries of it end on their own);
 * - abort signals (`withAbortSignal`): the core ignores them; here the caller gets CANCELLED.
 * Errors are the gRPC status errors the SDK and `api/orders/temporal-errors.ts` expect.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Metadata as GrpcMetadata, status } from '@grpc/grpc-js';
import {
  type CallContext,
  type ConnectionLike,
  type ConnectionPlugin,
  HealthService,
  type Metadata,
  OperatorService,
  WorkflowService,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

/** protobufjs's RPC implementation and callback types, as the generated services take them. */
type RPCImpl = Parameters<typeof WorkflowService.create>[0];
type RPCImplCallback = Parameters<RPCImpl>[2];

const { CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE } = status;

/** An error shaped like grpc-js's ServiceError, as the SDK's `isGrpcServiceError` and error mapping read it. */
export function grpcStatusError(code: status, details: string, cause?: unknown): Error {
  const err = new Error(`${code} ${status[code]}: ${details}`, cause === undefined ? undefined : { cause });
  return Object.assign(err, { code, details, metadata: new GrpcMetadata() });
}

type ServiceOf = (c: NativeConnection) => { rpcImpl: RPCImpl | null };

export class LazyNativeConnection implements ConnectionLike {
  readonly workflowService: WorkflowService;
  readonly operatorService: OperatorService;
  readonly healthService: HealthService;
  readonly plugins: ConnectionPlugin[] = [];
  private readonly calls = new AsyncLocalStorage<CallContext>();
  private connecting: Promise<NativeConnection> | undefined;
  private open: NativeConnection | undefined;
  private closed = false;

  constructor(
    private readonly address: string,
    /** How long a first connection may take when the call has no earlier deadline. */
    private readonly connectTimeoutMs = 2_000,
  ) {
    this.workflowService = WorkflowService.create(
      this.rpc((c) => c.workflowService),
      false,
      false,
    );
    this.operatorService = OperatorService.create(
      this.rpc((c) => c.operatorService),
      false,
      false,
    );
    this.healthService = HealthService.create(
      this.rpc((c) => c.healthService),
      false,
      false,
    );
  }

  async ensureConnected(): Promise<void> {
    await this.connection();
  }

  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return this.calls.run({ ...this.calls.getStore(), deadline }, fn);
  }

  withMetadata<R>(metadata: Metadata, fn: () => Promise<R>): Promise<R> {
    const cc = this.calls.getStore();
    return this.calls.run({ ...cc, metadata: { ...cc?.metadata, ...metadata } }, fn);
  }

  withAbortSignal<R>(abortSignal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return this.calls.run({ ...this.calls.getStore(), abortSignal }, fn);
  }

  /** Closes the open connection; one still being made is closed when it opens (not waited for). */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.connecting;
    this.connecting = undefined;
    if (!pending) return;
    const closeIt = (c: NativeConnection) => c.close().catch(() => undefined);
    if (this.open) await closeIt(this.open);
    else void pending.then(closeIt, () => undefined);
  }

  /** The open connection, or a new attempt when there is none (the last one failed). */
  private connection(): Promise<NativeConnection> {
    if (this.closed) return Promise.reject(grpcStatusError(UNAVAILABLE, 'connection closed'));
    if (!this.connecting) {
      const attempt = NativeConnection.connect({ address: this.address });
      this.connecting = attempt;
      attempt.then(
        (c) => {
          if (this.connecting === attempt) this.open = c;
        },
        () => {
          if (this.connecting === attempt) this.connecting = undefined;
        },
      );
    }
    return this.connecting;
  }

  /** A protobufjs RPC implementation that sends through the core once connected, within the call's deadline and signal. */
  private rpc(service: ServiceOf): RPCImpl {
    return (method, requestData, callback) => {
      const ctx = this.calls.getStore() ?? {};
      const settle = once(callback);
      const stops: (() => void)[] = [];
      const done: RPCImplCallback = (err, response) => {
        for (const stop of stops) stop();
        settle(err, response);
      };
      const deadline = ctx.deadline === undefined ? undefined : new Date(ctx.deadline).getTime();
      const waitMs = (deadline ?? Date.now() + this.connectTimeoutMs) - Date.now();
      const timer = setTimeout(
        () =>
          done(
            deadline === undefined
              ? grpcStatusError(UNAVAILABLE, `no connection to Temporal at ${this.address} within ${this.connectTimeoutMs} ms`)
              : grpcStatusError(DEADLINE_EXCEEDED, 'Deadline exceeded'),
          ),
        Math.max(0, waitMs),
      );
      stops.push(() => clearTimeout(timer));
      const signal = ctx.abortSignal;
      if (signal) {
        if (signal.aborted) return done(grpcStatusError(CANCELLED, 'Cancelled on client', signal.reason));
        const onAbort = () => done(grpcStatusError(CANCELLED, 'Cancelled on client', signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        stops.push(() => signal.removeEventListener('abort', onAbort));
      }
      this.connection().then(
        (conn) => {
          // Without a deadline the connect timer only bounded the connection; the call itself may take its time.
          if (deadline === undefined) clearTimeout(timer);
          const impl = service(conn).rpcImpl;
          if (!impl) return done(grpcStatusError(UNAVAILABLE, 'connection closed'));
          // The core reads the deadline and metadata from its own call context when the call starts.
          conn.callContextStorage.run(ctx, () => impl(method, requestData, done));
        },
        (err: unknown) => done(grpcStatusError(UNAVAILABLE, `cannot connect to Temporal at ${this.address}`, err)),
      );
    };
  }
}

function once(callback: RPCImplCallback): RPCImplCallback {
  let called = false;
  return (err, response) => {
    if (called) return;
    called = true;
    callback(err, response);
  };
}
