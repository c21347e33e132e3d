/**
 * Error → Temporal failure mapping for order activities. Business refusals are non-retryable
 * ApplicationFailures whose `type` is the contract's error code (the workflow turns them into a
 * rejection); outages stay retryable (Temporal retries them with the step's policy).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { FieldError } from '../../domain/errors';

export function rejection(code: string, message: string, errors?: FieldError[]): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: errors ? [errors] : [] });
}
