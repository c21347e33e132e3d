/**
 * JSON over HTTP for carrier adapters: global fetch (undici) with a per-call timeout combined with
 * the caller's AbortSignal, and failures classified into `CarrierError` (timeout / 5xx / 429 are
 * retryable; other 4xx are not).
 */
import { type CallOptions, CarrierError } from './types';

export interface HttpJsonRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function carrierFetch(
  carrier: string,
  req: HttpJsonRequest,
  defaultTimeoutMs: number,
  opts: CallOptions = {},
): Promise<unknown> {
  const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { accept: 'application/json', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal,
    });
  } catch (err) {
    if (timeout.aborted) {
      throw new CarrierError(carrier, 'timeout', `${carrier}: no answer within ${timeoutMs} ms`, { retryable: true, cause: err });
    }
    if (opts.signal?.aborted) throw new CarrierError(carrier, 'timeout', `${carrier}: call cancelled`, { retryable: false, cause: err });
    throw new CarrierError(carrier, 'unavailable', `${carrier}: connection failed`, { retryable: true, cause: err });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const reason = timeout.aborted ? 'timeout' : 'unavailable';
    throw new CarrierError(carrier, reason, `${carrier}: response interrupted`, { retryable: true, cause: err });
  }
  if (!res.ok) {
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    throw new CarrierError(carrier, retryable ? 'unavailable' : 'rejected', `${carrier}: HTTP ${res.status} ${text.slice(0, 200)}`, {
      retryable,
      status: res.status,
    });
  }
  try {
    return text ? JSON.parse(text) : undefined;
  } catch (err) {
    throw new CarrierError(carrier, 'invalid_response', `${carrier}: response is not JSON`, { retryable: true, cause: err });
  }
}
