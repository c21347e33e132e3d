/**
 * The one place an activity error becomes a Temporal failure (vocabulary in
 * domain/activity-failures.ts). Retryable: outages and anything unknown (a timeout, a refused
 * connection; the caller's retry policy bounds them). Non-retryable — no retry can fix them:
 * business refusals (AppError below 500), input that does not parse (ZodError), Postgres data
 * exceptions (SQLSTATE class 22: NUL bytes, invalid UTF-8, out-of-range values) and constraint
 * violations (class 23), and carrier errors the carrier marks final.
 *
 * `withFailureVocabulary` applies it to every activity of the worker (activities/index.ts), so
 * no area can forget it and no activity retries forever on input no retry can fix.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { ACTIVITY_FAILURE_TYPES, type FailureDetails, readFailureDetails } from '../domain/activity-failures';
import { AppError, type FieldError } from '../domain/errors';
import type { OrderStep } from '../domain/orders/types';
import { CarrierError } from '../integrations/carriers';

/** A refusal the workflow turns into the storefront's 4xx (`type` = the contract code). */
export function rejection(code: string, message: string, errors?: FieldError[]): ApplicationFailure {
  return nonRetryable(code, message, errors ? { errors } : {});
}

export function nonRetryable(type: string, message: string, details: FailureDetails = {}, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details], ...(cause ? { cause } : {}) });
}

/** The SQLSTATE of a Postgres error (node-postgres' DatabaseError), else undefined. */
export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string' ? e.code : undefined;
}

/** The failure to throw for `err`: a non-retryable ApplicationFailure when no retry can help, else `err` itself. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof CarrierError) {
    return ApplicationFailure.create({ message: err.message, type: err.reason, nonRetryable: !err.retryable, cause: err, details: [{}] });
  }
  if (err instanceof AppError) {
    if (err.status >= 500) return err; // dependency_unavailable and friends: retry
    return nonRetryable(err.code, err.message, err.errors ? { errors: err.errors } : {}, err);
  }
  if (err instanceof ZodError) {
    return nonRetryable(ACTIVITY_FAILURE_TYPES.invalidInput, `invalid activity input: ${err.message.slice(0, 300)}`, {}, err);
  }
  const sqlState = sqlStateOf(err);
  if (sqlState?.startsWith('22')) {
    // The message says what was wrong (e.g. "invalid byte sequence for encoding UTF8: 0x00"), never the data.
    return nonRetryable(
      ACTIVITY_FAILURE_TYPES.invalidData,
      `Postgres refused the data (${sqlState}): ${(err as Error).message}`,
      { sqlState },
      err as Error,
    );
  }
  if (sqlState?.startsWith('23')) {
    return nonRetryable(
      ACTIVITY_FAILURE_TYPES.constraintViolation,
      `Postgres refused the write (${sqlState}): ${(err as Error).message}`,
      { sqlState },
      err as Error,
    );
  }
  return err;
}

/**
 * `toActivityFailure(err)` naming the order step it came from (`details[0].step`), for activities
 * that run several steps. Type, message, retryability and the other details are kept, so the
 * workflow reads a tagged failure exactly as an untagged one.
 */
export function failureOfStep(step: OrderStep, err: unknown): ApplicationFailure {
  const f = toActivityFailure(err);
  if (f instanceof ApplicationFailure) {
    const details = { ...readFailureDetails(f.details), step };
    return ApplicationFailure.create({
      type: f.type ?? 'Error',
      message: f.message,
      nonRetryable: f.nonRetryable ?? false,
      details: [details],
      ...(f.cause ? { cause: f.cause } : {}),
    });
  }
  const e = f instanceof Error ? f : new Error(String(f));
  // Retryable: the error's name stays the failure's type (the workflow maps e.g. PaymentUnavailableError by it).
  return ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: false, details: [{ step }], cause: e });
}

type AnyFn = (...args: never[]) => Promise<unknown>;

/** Every activity of `activities`, throwing `toActivityFailure(err)` instead of `err`. */
export function withFailureVocabulary<T extends Record<string, AnyFn>>(activities: T): T {
  const wrapped: Record<string, AnyFn> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toActivityFailure(err);
      }
    };
  }
  return wrapped as T;
}
