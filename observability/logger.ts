import pino, { type Logger } from 'pino';

export type { Logger };

/** One structured logger per process; children carry requestId / workflowId. */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? 'cathay',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-carrier-signature"]', '*.token'], censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.errWithCause },
  });
}
