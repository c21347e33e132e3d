import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../domain/errors';
import type { Logger } from '../../observability/logger';
import { normalizeError, sendProblem } from '../problem';

export function notFound(req: Request, _res: Response, next: NextFunction) {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
}

/** The last middleware: every error becomes problem+json; 5xx are logged with their cause chain. */
export function errorHandler(fallbackLogger: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const problem = normalizeError(err);
    const log = (res.locals.log as Logger | undefined) ?? fallbackLogger;
    if (problem.status >= 500) log.error({ err, code: problem.code }, problem.message);
    sendProblem(res, problem);
  };
}
