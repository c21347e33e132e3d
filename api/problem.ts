/**
 * problem+json (RFC 9457) responses with the contract's codes. Nothing internal leaves here:
 * an unexpected error becomes `internal` with a generic detail, and the cause goes to the log.
 */
import type { Response } from 'express';
import { isPostgresUnavailable } from '../db/unavailable';
import { AppError, dependencyUnavailable, type ErrorCode, errorTitle, type FieldError } from '../domain/errors';
import { MAX_FIELD_ERRORS } from '../domain/schemas/common';

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
    // Capped: a body of 50k unknown keys answers with 50 of them, not a 2.5 MB echo.
    ...(err.errors ? { errors: err.errors.slice(0, MAX_FIELD_ERRORS) } : {}),
    ...(err.extra ?? {}),
    requestId,
  };
}

export function sendProblem(res: Response, err: AppError): void {
  const requestId = String(res.locals.requestId ?? '');
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res
    .status(err.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(toProblem(err, requestId)));
}

/** The contract code for a client error Express or one of its parsers raised with only a status. */
const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * The one place an error becomes a contract error: an AppError is itself; a dependency that is
 * really down (a connection error, not a data error) is 503; any error that carries a status
 * below 500 (body-parser, the router's URIError for a badly encoded path, …) stays that 4xx;
 * anything else is a bug: 500 `internal`, its cause logged, nothing internal sent.
 */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // A route that forgot to wrap a query still answers a dead database with a fast 503, not a 500.
  if (isPostgresUnavailable(err)) return dependencyUnavailable('postgres', err);
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (err instanceof URIError || (e?.message?.startsWith('Failed to decode param') && status === 400)) {
    return new AppError('invalid_request', 'The request path is not validly percent-encoded', {
      errors: [{ path: 'path', message: 'invalid percent-encoding' }],
      cause: err,
    });
  }
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
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500) {
    const code = CODE_FOR_STATUS[status] ?? 'invalid_request';
    // Only messages meant for the client (http-errors' `expose`) are sent; others get the title.
    return new AppError(code, e.expose && e.message ? e.message : errorTitle(code), { status, cause: err });
  }
  return new AppError('internal', 'An unexpected error occurred', { cause: err });
}
