import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import { createConsole } from '../console/router';
import { ApiKeyAuthenticator, parseApiKeys } from './auth';
import { codecEndpoint } from './codec-endpoint';
import { CustomerTokenVerifier } from './customer-token';
import type { AppDeps } from './deps';
import { errorHandler, notFound } from './middleware/errors';
import { httpMetrics } from './middleware/metrics';
import { rateLimits } from './middleware/rate-limit';
import { requestContext } from './middleware/request-context';
import { createOpenApiRegistry, generateOpenApiDocument } from './openapi';
import { apiReferencePage } from './reference/page';
import { createRouteRegistrar, LargeBodyRoutes, RouteTable } from './route';
import { routeModules } from './routes';
import { registerSystemRoutes } from './routes/system';

/** Request bodies larger than this are refused (413) unless a route declares its own `bodyLimit`. */
export const BODY_LIMIT = '64kb';

/** Builds the Express app. It does not listen: `api/main.ts` does, tests mount it directly. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // product routes compute their own strong ETags
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple'); // repeated params become arrays; no nested objects from a[b]=c

  app.use(requestContext(deps.logger));
  // Security headers (X-Content-Type-Options: nosniff, frame and referrer policies, a strict CSP).
  app.use(helmet());
  app.use(httpMetrics(deps.metrics));
  app.use(rateLimits(deps)); // per IP / API key, before parsing bodies (CONTRACT v1.1 Limits)
  app.use(compression({ threshold: 1024 }));
  app.use('/codec', codecEndpoint(deps)); // Temporal remote codec (Web UI), ops key; parses its own bodies
  // Carrier webhooks are signed over their exact bytes: keep them raw (a Buffer in req.body).
  app.use('/v1/webhooks', express.raw({ type: () => true, limit: BODY_LIMIT }));
  // 64 KB bodies everywhere (contract v1.1 "Limits"), except routes that declare a larger
  // `bodyLimit` (bulk stock sync): those parse their own body after authorization (api/route.ts).
  const largeBodies = new LargeBodyRoutes();
  const json = express.json({ limit: BODY_LIMIT, strict: true });
  app.use((req, res, next) => (largeBodies.matches(req) ? next() : json(req, res, next)));

  const router = express.Router();
  const registry = createOpenApiRegistry();
  const table = new RouteTable();
  const route = createRouteRegistrar(
    router,
    registry,
    new ApiKeyAuthenticator(parseApiKeys(deps.config.API_KEYS)),
    largeBodies,
    new CustomerTokenVerifier(deps.config.CUSTOMER_TOKEN_SECRET),
    table,
  );
  let document: unknown;
  registerSystemRoutes(route, deps, () => {
    document ??= generateOpenApiDocument(registry);
    return document;
  });
  for (const register of routeModules) register(route, deps);
  app.use(router);
  // The support and operations console (console/): HTML pages that call the routes above over HTTP.
  app.use(
    '/console',
    createConsole({
      redis: deps.redis,
      logger: deps.logger,
      temporalUiUrl: deps.config.TEMPORAL_UI_URL,
      temporalNamespace: deps.config.TEMPORAL_NAMESPACE,
      sessionTtlSeconds: deps.config.CONSOLE_SESSION_TTL_SECONDS,
    }),
  );
  app.use(apiReferencePage()); // /docs: the API reference page rendered from /openapi.json

  app.use(table.methodNotAllowed());
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
