/**
 * The console's only way into the engine: the API's own REST endpoints over loopback HTTP, with
 * the API key of the signed-in session. The same server that accepted the browser's request
 * answers, so the console needs no address of its own and goes through exactly the auth,
 * validation and rate limits any other client meets.
 */
import type { Request } from 'express';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ path?: string; message?: string }>;
  requestId?: string;
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

/** This server, as the request reached it (IPv6 addresses bracketed). */
export function selfBaseUrl(req: Request): string {
  let addr = req.socket.localAddress ?? '127.0.0.1';
  if (addr.startsWith('::ffff:')) addr = addr.slice(7);
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${req.socket.localPort}`;
}

export class ConsoleApi {
  constructor(
    private readonly base: string,
    private readonly apiKey: string,
    private readonly requestId?: string,
  ) {}

  static for(req: Request, apiKey: string): ConsoleApi {
    const id = req.headers['x-request-id'];
    return new ConsoleApi(selfBaseUrl(req), apiKey, typeof id === 'string' ? id : undefined);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
      ...(this.requestId ? { 'x-request-id': this.requestId } : {}),
      ...extra,
    };
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 20_000,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    let res: globalThis.Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: this.headers({ ...extraHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      return { ok: false, status: 503, problem: { status: 503, title: 'API unreachable', detail: String((err as Error).message) } };
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) return { ok: true, status: res.status, body: parsed as T };
    const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as Problem;
    return { ok: false, status: res.status, problem: { ...problem, status: res.status } };
  }

  get<T>(path: string) {
    return this.call<T>('GET', path);
  }

  /** `headers`: e.g. the Idempotency-Key of a goodwill refund. */
  post<T>(path: string, body: unknown, headers: Record<string, string> = {}) {
    return this.call<T>('POST', path, body, 20_000, headers);
  }

  put<T>(path: string, body: unknown) {
    return this.call<T>('PUT', path, body);
  }

  /** The raw response of a streaming call (the order event stream), aborted with `signal`. */
  stream(path: string, signal: AbortSignal, lastEventId?: string): Promise<globalThis.Response> {
    return fetch(this.base + path, {
      headers: this.headers({ accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }),
      signal,
    });
  }
}
