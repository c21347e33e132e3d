/**
 * problem+json (RFC 9457) responses with the contract's codes. Nothing internal leaves here:
 * an unexpected error becomes `internal` with a generic detail, and the cause goes to the log.
 */
import type { Response } from 'express';
import { isPostgresUnavailable } from '../db/unavailable';
import { AppError, dependencyUnavailable, type ErrorCode, errorTitle, type FieldError } from '../domain/errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  requestId: string;
  [extra: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `https://docs.cathay.shop/errors/${code}`;
}

export function toProblem(err: AppError, requestId: string): ProblemBody {
  return {
    type: problemType(err.code),
    title: errorTitle(err.code),
    status: err.status,
    detail: err.message,
    code: err.code,
    ...(err.errors ? { errors: err.errors } : {}),
    ...(err.extra ?? {}),
    requestId,
  };
}

export function sendProblem(res: Response, err: AppError): void {
  const requestId = String(res.locals.requestId ?? '');
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  res
    .status(err.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(toProblem(err, requestId)));
}

/** Maps errors thrown by Express' own body parser and friends to contract errors. */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // A route that forgot to wrap a query still answers a dead database with a fast 503, not a 500.
  if (isPostgresUnavailable(err)) return dependencyUnavailable('postgres', err);
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (e?.type === 'entity.parse.failed') {
    return new AppError('invalid_request', 'The request body is not valid JSON', {
      errors: [{ path: '', message: 'malformed JSON' }],
      cause: err,
    });
  }
  if (e?.type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large', { cause: err });
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'Unsupported body encoding', { cause: err });
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && e?.expose) {
    return new AppError('invalid_request', e.message ?? 'Bad request', { status, cause: err });
  }
  return new AppError('internal', 'An unexpected error occurred', { cause: err });
}
