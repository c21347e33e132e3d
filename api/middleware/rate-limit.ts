/**
 * Rate limits (CONTRACT v1.1 "Limits"): every request of a limited route group counts against
 * one bucket in Redis (cache/rate-limit-buckets.ts): its API key's when it presents a valid key,
 * else its client IP's. Over the limit → 429 `rate_limited` with `Retry-After`; every counted
 * answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
 *
 * It runs before body parsing and auth, so a flooding client costs neither. An unknown or
 * malformed key counts against the IP (random keys cannot buy fresh buckets). With Redis down it
 * fails open: the request goes through, logged (once per outage) and counted in
 * `rate_limit_fail_open_total`.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { Counter } from 'prom-client';
import { createRateLimitBuckets, type RateLimitBuckets } from '../../cache/rate-limit-buckets';
import type { RateLimitGroup } from '../../config/limits';
import { AppError } from '../../domain/errors';
import type { Logger } from '../../observability/logger';
import { ApiKeyAuthenticator, parseApiKeys } from '../auth';
import type { AppDeps } from '../deps';

/** Probes, metrics scrapes and signed carrier webhooks are not limited (their callers are ours or carriers). */
const UNLIMITED = /^\/(healthz|readyz|metrics)\/?$|^\/v1\/webhooks\//;

/** The route group of a request, or undefined when it is not rate limited. */
export function rateLimitGroup(method: string, path: string): RateLimitGroup | undefined {
  if (UNLIMITED.test(path)) return undefined;
  if (path === '/v1/search' || path.startsWith('/v1/search/')) return 'search';
  if (method === 'POST' && /^\/v1\/shipping\/rates\/?$/.test(path)) return 'shipping';
  if (method === 'POST' && /^\/v1\/orders(\/|$)/.test(path)) return 'orders';
  if (/^\/v1\/(ops|admin)(\/|$)/.test(path) || path === '/codec' || path.startsWith('/codec/')) return 'ops';
  return 'public';
}

/**
 * The bucket of a client address: IPv4 as is, IPv6 by its /64 (one subscriber usually holds a
 * whole /64, so per-address buckets would be free to multiply).
 */
export function clientAddressBucket(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const full = ip.includes('::') ? [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts] : headParts;
  return `${full
    .slice(0, 4)
    .map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function metric(deps: AppDeps, name: string, help: string): Counter<'group'> {
  // One registry per deps; a second app built on the same deps reuses the counter.
  const existing = deps.metrics.registry.getSingleMetric(name);
  return (
    (existing as Counter<'group'> | undefined) ?? new Counter({ name, help, labelNames: ['group'], registers: [deps.metrics.registry] })
  );
}

export function rateLimits(deps: AppDeps, buckets: RateLimitBuckets = createRateLimitBuckets(deps.redis, deps.config)) {
  const auth = new ApiKeyAuthenticator(parseApiKeys(deps.config.API_KEYS));
  const limited = metric(deps, 'rate_limited_total', 'Requests refused with 429 by the rate limiter, by route group');
  const failOpen = metric(deps, 'rate_limit_fail_open_total', 'Requests let through unchecked because the rate-limit store (Redis) failed');
  let storeDown = false;

  return async (req: Request, res: Response, next: NextFunction) => {
    if (!deps.config.RATE_LIMIT_ENABLED) return next();
    const group = rateLimitGroup(req.method, req.path);
    if (!group) return next();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const keyed = m?.[1] !== undefined && auth.roleOf(m[1]) !== undefined;
    const client = keyed
      ? createHash('sha256')
          .update(m?.[1] ?? '')
          .digest('hex')
          .slice(0, 24)
      : clientAddressBucket(req.ip);
    const decision = await buckets.consume(group, keyed ? 'key' : 'ip', client);
    if (decision.outcome === 'unavailable') {
      failOpen.inc({ group });
      if (!storeDown) (res.locals.log as Logger).warn({ err: decision.cause, group }, 'rate limiter store unavailable: failing open');
      storeDown = true;
      return next();
    }
    storeDown = false;
    const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (decision.outcome === 'allowed') return next();
    limited.inc({ group });
    next(
      new AppError('rate_limited', `Too many ${group} requests; retry in ${resetSeconds} s`, {
        retryAfter: resetSeconds,
        extra: { limit: decision.limit, group },
      }),
    );
  };
}
