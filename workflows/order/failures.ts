/**
 * How the order workflow reads what went wrong: the two control-flow exceptions that end the
 * happy path (cancelled, refused), and the mapping from an activity failure to a `Rejection`
 * (the storefront's 4xx) or a `Failure` (the `failed` state support sees).
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { readFailureDetails } from '../../domain/activity-failures';
import type { Failure, OrderStep, Rejection } from '../../domain/orders/types';

/** Control flow: the order is being cancelled (by request, payment window or hold expiry). */
export class OrderCancelled extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
/** Control flow: the order is refused (out of stock, declined, bad shipping choice). */
export class OrderRejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

const REJECTION_CODES = new Set<Rejection['code']>(['out_of_stock', 'payment_declined', 'invalid_request', 'quote_expired']);

export function rejectionOf(err: unknown): Rejection | undefined {
  // ActivityFailure → ApplicationFailure (its type is the contract code); walk the cause chain.
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApplicationFailure && e.type && REJECTION_CODES.has(e.type as Rejection['code'])) {
      const { errors } = readFailureDetails(e.details);
      return { code: e.type as Rejection['code'], detail: e.message, ...(errors ? { errors } : {}) };
    }
  }
  return undefined;
}

const FAILURE_CODES: Record<string, string> = {
  PaymentUnavailableError: 'payment_provider_unavailable',
  payment_rejected: 'payment_rejected',
};

/** The ApplicationFailure behind an activity failure, when the activity said no retry can help. */
function nonRetryableCause(err: unknown): ApplicationFailure | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApplicationFailure && e.nonRetryable) return e;
  }
  return undefined;
}

/**
 * Writing the order failed in a way no retry can fix (Postgres refused the data, the input does not
 * parse): there is no order row for support to see, so the storefront is told, as a refusal.
 */
export function unrecordableOf(err: unknown): Rejection | undefined {
  const cause = nonRetryableCause(err);
  if (!cause) return undefined;
  return { code: 'invalid_request', detail: `The order cannot be recorded: ${cause.message}`.slice(0, 500) };
}

/** The step a failure names (`details[0].step`, from an activity that runs several), if any. */
export function failedStepOf(err: unknown): OrderStep | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApplicationFailure) {
      const { step } = readFailureDetails(e.details);
      if (step) return step;
    }
  }
  return undefined;
}

export function failureOf(step: OrderStep, err: unknown): Failure {
  // An activity task's failure arrives wrapped in an ActivityFailure; a local activity's is the
  // ApplicationFailure itself, whose own cause (e.g. the provider's error) must not hide its type.
  const cause = err instanceof ActivityFailure ? (err.cause ?? err) : err;
  let code = 'step_failed';
  let retryable = true;
  let message = err instanceof Error ? err.message : String(err);
  if (cause instanceof ApplicationFailure) {
    code = FAILURE_CODES[cause.type ?? ''] ?? (cause.type ? `${step}_failed` : code);
    retryable = !cause.nonRetryable;
    message = cause.message;
  } else if (cause instanceof Error) {
    message = cause.message;
    if (cause.name === 'TimeoutFailure') code = `${step}_timeout`;
  }
  return { code, message: message.slice(0, 500), step, retryable };
}
