/**
 * The contract's stable error codes and the HTTP status each one carries by default.
 * `AppError` is thrown anywhere below the API; the API turns it into problem+json.
 */
export const ERROR_CODES = {
  invalid_request: 400,
  invalid_filter: 400,
  unauthenticated: 401,
  payment_declined: 402,
  forbidden: 403,
  product_not_found: 404,
  order_not_found: 404,
  not_found: 404,
  job_not_found: 404,
  method_not_allowed: 405,
  out_of_stock: 409,
  order_not_cancellable: 409,
  order_not_failed: 409,
  /** Returns: not delivered, outside the return window, or more units than delivered − already returned. */
  return_not_allowed: 409,
  /** A refund above what was captured minus what was already refunded. */
  refund_exceeds_captured: 409,
  return_not_found: 404,
  invalid_transition: 409,
  quote_expired: 409,
  /** Setting on hand below what is reserved for orders (inventory ops); never clamped. */
  stock_below_reserved: 409,
  /** Admin catalog writes: the sku belongs to another product (live or soft-deleted). */
  duplicate_sku: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
  dependency_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
  [extra: string]: unknown;
}

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  invalid_filter: 'Invalid filter',
  unauthenticated: 'Authentication required',
  payment_declined: 'Payment declined',
  forbidden: 'Forbidden',
  product_not_found: 'Product not found',
  order_not_found: 'Order not found',
  not_found: 'Not found',
  job_not_found: 'Job not found',
  method_not_allowed: 'Method not allowed',
  out_of_stock: 'Out of stock',
  order_not_cancellable: 'Order cannot be cancelled',
  order_not_failed: 'Order is not failed',
  return_not_allowed: 'Return not allowed',
  refund_exceeds_captured: 'Refund exceeds the captured amount',
  return_not_found: 'Return not found',
  invalid_transition: 'Invalid status transition',
  quote_expired: 'Shipping quote expired',
  stock_below_reserved: 'Stock below reserved quantity',
  duplicate_sku: 'SKU already exists',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  idempotency_key_reused: 'Idempotency key reused',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  dependency_unavailable: 'Dependency unavailable',
};

export function errorTitle(code: ErrorCode): string {
  return TITLES[code];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  /** Seconds, for 429/503. */
  readonly retryAfter: number | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    opts: {
      errors?: FieldError[];
      retryAfter?: number;
      status?: number;
      cause?: unknown;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? ERROR_CODES[code];
    this.errors = opts.errors;
    this.retryAfter = opts.retryAfter;
    this.extra = opts.extra;
  }
}

/** A dependency (Postgres, Redis, Meilisearch, Temporal, a carrier) did not answer in time. */
export function dependencyUnavailable(dependency: string, cause?: unknown, retryAfter = 5): AppError {
  return new AppError('dependency_unavailable', `${dependency} is unavailable, try again shortly`, {
    retryAfter,
    cause,
    extra: { dependency },
  });
}
