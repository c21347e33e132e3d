import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ProblemSchema } from '../domain/schemas/common';
import { apiIntroduction } from './reference/intro';

export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', ProblemSchema);
  // Who holds which credential: docs/security.md.
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key with one role (storefront, support, ops, admin); each operation lists the roles it allows in `x-roles`.',
  });
  registry.registerComponent('securitySchemes', 'customerToken', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Customer-Token',
    description:
      "The customer's JWT, issued by the shop's sign-in: HS256 with CUSTOMER_TOKEN_SECRET, `sub` = customer id, `exp` at most 24 h ahead. " +
      'Required with the storefront key on customer-scoped operations; an order of another customer answers 404.',
  });
  registry.registerComponent('securitySchemes', 'carrierSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Carrier-Signature',
    description:
      '`t=<unix seconds>,v1=<64 hex>`: HMAC-SHA256 of `"{t}.{raw body}"` with that carrier\'s secret (CARRIER_WEBHOOK_SECRETS). ' +
      'More than 300 s from now or a malformed value → 401; an event id seen before → 200, ignored.',
  });
  return registry;
}

export function generateOpenApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Cathay Shop API',
      version: '1.0.0',
      description: apiIntroduction(),
    },
    servers: [{ url: '/' }],
  });
}
