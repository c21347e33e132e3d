import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from '../observability/logger';

/** Routes the Temporal SDK's (and workflow `log`) output through pino, keeping workflowId etc. as fields. */
export function temporalLogger(logger: Logger): TemporalLogger {
  const at = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (message: string, meta?: LogMetadata) =>
    logger[level](meta ?? {}, message);
  return {
    log(level: LogLevel, message: string, meta?: LogMetadata) {
      const l = level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      logger[l](meta ?? {}, message);
    },
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}
