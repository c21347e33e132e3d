/**
 * Who am I: the role and name of the presented API key. The console exchanges a key for a
 * session with it (and refuses storefront keys); scripts can use it to check a key.
 */
import { AppError } from '../../domain/errors';
import { z } from '../../domain/schemas/common';
import { ApiKeyAuthenticator, parseApiKeys, ROLES } from '../auth';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

export const WhoAmISchema = z
  .object({
    role: z.enum(ROLES),
    name: z.string().openapi({ description: 'The key’s configured name (`role/name:key` in API_KEYS) or a short digest prefix' }),
  })
  .openapi('WhoAmI');

export function registerWhoAmIRoutes(route: RouteRegistrar, deps: AppDeps): void {
  // The registrar authorizes the role; the name needs the key entries, parsed here once.
  const keys = new ApiKeyAuthenticator(parseApiKeys(deps.config.API_KEYS));
  route({
    method: 'get',
    path: '/v1/auth/whoami',
    summary: 'The role and name of the presented API key',
    tags: ['auth'],
    auth: ['storefront', 'support', 'ops'],
    responses: { 200: { description: 'the key’s identity', schema: WhoAmISchema } },
    handler: ({ req, res }) => {
      const presented = ApiKeyAuthenticator.bearer(req.headers.authorization);
      const who = presented ? keys.identify(presented) : undefined;
      // The registrar has authenticated this very header already; this only satisfies the types.
      if (!who) throw new AppError('unauthenticated', 'Unknown API key');
      res.setHeader('Cache-Control', 'no-store');
      return who;
    },
  });
}
