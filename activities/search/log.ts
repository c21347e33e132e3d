import type { ActivityDeps } from '../deps';
import { currentActivity } from './activity-context';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Logs through the activity context (which carries workflowId/activityId) or, outside a worker, pino. */
export function activityLog(deps: ActivityDeps) {
  const at =
    (level: Level) =>
    (msg: string, meta: Record<string, unknown> = {}) => {
      const ctx = currentActivity();
      if (ctx) ctx.log[level](msg, meta);
      else deps.logger[level](meta, msg);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
