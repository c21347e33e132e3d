import { ERROR_CODES, type ErrorCode, errorTitle } from '../../domain/errors';

/**
 * The introduction of /openapi.json (`info.description`, Markdown): what a storefront developer
 * needs before the first call — the three credentials and every error code. The error table is
 * built from `ERROR_CODES`, so a new code is documented the moment it exists.
 */
export function apiIntroduction(): string {
  return [
    'The REST API of Cathay Shop: catalog, search, shipping rates, orders, returns, operations.',
    'Generated from the same zod schemas that validate every request.',
    '',
    '## Authentication',
    '',
    '- **API key** — `Authorization: Bearer <key>`. Each key has one role: `storefront`, `support`,',
    '  `ops` or `admin` (admin may do everything). Catalog, search and shipping rates are public.',
    '  Each operation lists the roles it accepts under `x-roles`. Missing or unknown key → 401',
    '  `unauthenticated`; wrong role → 403 `forbidden`.',
    "- **Customer token** — `X-Customer-Token: <JWT>`, HS256, signed by the shop's sign-in with",
    '  `CUSTOMER_TOKEN_SECRET`; `sub` is the customer id, `exp` is required (at most 24 h ahead).',
    "  Storefront calls that touch a customer's orders carry it next to the storefront key; an order",
    '  of another customer answers 404 as if it did not exist. Support, ops and admin keys need none.',
    '  In development `npm run token:dev -- <customerId>` prints one.',
    '- **Carrier webhook signature** — `X-Carrier-Signature: t=<unix seconds>,v1=<64 hex>`, the',
    '  HMAC-SHA256 of `"{t}.{raw body}"` with that carrier\'s secret; more than 300 s off → 401.',
    '',
    '## Conventions',
    '',
    '- Money is `{ amount: <integer minor units>, currency }`, never a float.',
    '- Lists page with `?limit=&cursor=` and answer `{ data, nextCursor }`.',
    '- `POST /v1/orders` needs an `Idempotency-Key` header: the same key and body give the same',
    '  order, never a second charge.',
    '- Errors are `application/problem+json` with a stable `code` and, for invalid input, an',
    '  `errors` list of `{ path, message }` (at most 50).',
    '',
    '## Error codes',
    '',
    '| code | status | meaning |',
    '| --- | --- | --- |',
    ...(Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => `| \`${code}\` | ${ERROR_CODES[code]} | ${errorTitle(code)} |`),
  ].join('\n');
}
