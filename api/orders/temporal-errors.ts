/**
 * Temporal client errors → contract errors. An Update refused by the workflow's validator (or
 * failed by its handler) carries an ApplicationFailure whose `type` is a contract error code;
 * an unreachable or slow server is a 503 `dependency_unavailable`.
 */
import {
  ApplicationFailure,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { AppError, dependencyUnavailable, ERROR_CODES, type ErrorCode } from '../../domain/errors';

/** gRPC status codes (the numbers are part of the gRPC spec). */
const GrpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14 } as const;

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

export function isResourceExhausted(err: unknown): boolean {
  return grpcCode(err) === GrpcStatus.RESOURCE_EXHAUSTED;
}

export function isTemporalUnavailable(err: unknown): boolean {
  const code = grpcCode(err);
  return (
    code === GrpcStatus.UNAVAILABLE ||
    code === GrpcStatus.DEADLINE_EXCEEDED ||
    code === GrpcStatus.CANCELLED ||
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    (err instanceof ServiceError && /deadline|unavailable|connect/i.test(err.message))
  );
}

/** The contract error an Update failure stands for, if it is one. */
export function updateFailureCode(err: unknown): AppError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type && cause.type in ERROR_CODES) {
    return new AppError(cause.type as ErrorCode, cause.message, { cause: err });
  }
  return undefined;
}

export function toAppError(err: unknown, orderId: string): AppError {
  if (err instanceof AppError) return err;
  const known = updateFailureCode(err);
  if (known) return known;
  if (err instanceof WorkflowNotFoundError || grpcCode(err) === GrpcStatus.NOT_FOUND) {
    return new AppError('order_not_found', `Order ${orderId} is not running any more`, { cause: err });
  }
  if (isTemporalUnavailable(err)) return dependencyUnavailable('temporal', err);
  return new AppError('internal', 'An unexpected error occurred', { cause: err });
}
