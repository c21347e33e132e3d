import compression from 'compression';
import express from 'express';
import { ApiKeyAuthenticator, parseApiKeys } from './auth';
import type { AppDeps } from './deps';
import { errorHandler, notFound } from './middleware/errors';
import { httpMetrics } from './middleware/metrics';
import { requestContext } from './middleware/request-context';
import { createOpenApiRegistry, generateOpenApiDocument } from './openapi';
import { apiReferencePage } from './reference/page';
import { createRouteRegistrar, LargeBodyRoutes } from './route';
import { routeModules } from './routes';
import { registerSystemRoutes } from './routes/system';

/** Builds the Express app. It does not listen: `api/main.ts` does, tests mount it directly. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // product routes compute their own strong ETags
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple'); // repeated params become arrays; no nested objects from a[b]=c

  app.use(requestContext(deps.logger));
  app.use(httpMetrics(deps.metrics));
  app.use(compression({ threshold: 1024 }));
  // Carrier webhooks are signed over their exact bytes: keep them raw (a Buffer in req.body).
  app.use('/v1/webhooks', express.raw({ type: () => true, limit: '256kb' }));
  // 1 MB bodies everywhere, except routes that declare a larger `bodyLimit` (bulk stock sync):
  // those parse their own body after authorization (see api/route.ts).
  const largeBodies = new LargeBodyRoutes();
  const json = express.json({ limit: '1mb', strict: true });
  app.use((req, res, next) => (largeBodies.matches(req) ? next() : json(req, res, next)));

  const router = express.Router();
  const registry = createOpenApiRegistry();
  const route = createRouteRegistrar(router, registry, new ApiKeyAuthenticator(parseApiKeys(deps.config.API_KEYS)), largeBodies);
  let document: unknown;
  registerSystemRoutes(route, deps, () => {
    document ??= generateOpenApiDocument(registry);
    return document;
  });
  for (const register of routeModules) register(route, deps);
  app.use(router);
  app.use(apiReferencePage()); // /docs: the API reference page rendered from /openapi.json

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
