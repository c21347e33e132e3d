/**
 * HTTP client of the payment provider (the sandbox in dev and tests). Every call carries the
 * caller's Idempotency-Key, so a retry after a timeout can never charge twice, and has a timeout,
 * so a hung provider becomes a retryable error instead of a stuck activity.
 */
import {
  type Authorization,
  type Capture,
  PaymentDeclinedError,
  PaymentRejectedError,
  type PaymentsClient,
  PaymentUnavailableError,
  type Refund,
  type Void,
} from './types';

interface ProviderError {
  error?: { code?: string; message?: string };
}

export function createPaymentsClient(opts: { baseUrl: string; timeoutMs?: number; apiKey?: string }): PaymentsClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 5_000;

  async function call<T>(path: string, idempotencyKey: string, body: Record<string, unknown>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new PaymentUnavailableError(`payment provider unreachable: POST ${path}`, { cause: err });
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (res.ok) return parsed as T;
    const err = (parsed as ProviderError).error ?? {};
    if (res.status === 402) throw new PaymentDeclinedError(err.message ?? 'card declined', err.code ?? 'card_declined');
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new PaymentUnavailableError(`payment provider answered ${res.status} to POST ${path}`);
    }
    throw new PaymentRejectedError(err.message ?? `payment provider answered ${res.status}`, res.status, err.code ?? 'rejected');
  }

  return {
    async authorize(req): Promise<Authorization> {
      const r = await call<{ id: string; amount: number; currency: string }>('/v1/authorizations', req.idempotencyKey, {
        amount: req.amount,
        currency: req.currency,
        token: req.token,
        reference: req.reference,
      });
      return { authorizationId: r.id, amount: r.amount, currency: r.currency };
    },
    async capture(req): Promise<Capture> {
      const r = await call<{ id: string; amount: number }>(
        `/v1/authorizations/${encodeURIComponent(req.authorizationId)}/capture`,
        req.idempotencyKey,
        { amount: req.amount },
      );
      return { captureId: r.id, authorizationId: req.authorizationId, amount: r.amount };
    },
    async void(req): Promise<Void> {
      await call(`/v1/authorizations/${encodeURIComponent(req.authorizationId)}/void`, req.idempotencyKey, {});
      return { authorizationId: req.authorizationId };
    },
    async refund(req): Promise<Refund> {
      const r = await call<{ id: string; amount: number }>(
        `/v1/captures/${encodeURIComponent(req.captureId)}/refunds`,
        req.idempotencyKey,
        {
          amount: req.amount,
        },
      );
      return { refundId: r.id, captureId: req.captureId, amount: r.amount };
    },
  };
}
