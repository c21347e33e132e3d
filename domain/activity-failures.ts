/**
 * The one failure vocabulary of activities, as the workflows read it. An activity that fails for
 * good throws a non-retryable ApplicationFailure whose `type` is a code from here (or a contract
 * error code, e.g. `invalid_request`, `quote_expired`) and whose `details[0]` is `FailureDetails`.
 * `activities/failures.ts` writes them; workflow code reads them with `readFailureDetails`.
 */
import type { FieldError } from './errors';
import type { OrderStep } from './orders/types';

/** `type`s of activity failures that are not contract error codes. */
export const ACTIVITY_FAILURE_TYPES = {
  /** Postgres refused the data (SQLSTATE class 22, e.g. 22P05, 22021): no retry can store it. */
  invalidData: 'invalid_data',
  /** A constraint refused the write (SQLSTATE class 23) in a way the activity does not expect. */
  constraintViolation: 'constraint_violation',
  /** The activity's input did not parse (a bug or a hand-made start): no retry changes it. */
  invalidInput: 'invalid_input',
} as const;

/** `details[0]` of every ApplicationFailure an activity throws. */
export interface FailureDetails {
  /** Offending fields, for refusals the storefront sees (400/409). */
  errors?: FieldError[];
  /** The Postgres SQLSTATE, for data errors. */
  sqlState?: string;
  /**
   * The order step that failed, when one activity runs several (`secureOrder`: reserve →
   * authorize → confirm), so support sees the step that really failed.
   */
  step?: OrderStep;
}

/**
 * The details of a failure. Order rejections recorded before v1.1 carried the field errors
 * array itself as `details[0]`; saved histories replay with that shape, so it is read too.
 */
export function readFailureDetails(details: readonly unknown[] | null | undefined): FailureDetails {
  const first = details?.[0];
  if (Array.isArray(first)) return { errors: first as FieldError[] };
  if (first && typeof first === 'object') return first as FailureDetails;
  return {};
}
