/** Carrier and domain errors as Temporal failures the workflows can tell apart by `type`. */
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../domain/errors';
import { CarrierError } from '../../integrations/carriers';

/** Retryable carrier errors stay retryable; the rest (and AppErrors) stop the retries. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof CarrierError) {
    return ApplicationFailure.create({ message: err.message, type: err.reason, nonRetryable: !err.retryable, cause: err });
  }
  if (err instanceof AppError && err.status < 500) {
    return ApplicationFailure.create({ message: err.message, type: err.code, nonRetryable: true, details: [{ errors: err.errors ?? [] }] });
  }
  return err;
}
