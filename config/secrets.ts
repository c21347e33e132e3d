/**
 * Production refuses dev secrets (contract v1.1 "Operations endpoints"). The dev defaults make
 * `npm run dev` and the tests work with nothing set; with NODE_ENV=production a process that holds
 * a secret refuses to start when it is missing, shorter than MIN_SECRET_LENGTH or a dev default,
 * so a forgotten variable can never leave `dev-admin-key` guarding a real shop.
 */

/** What the check reads of the parsed configuration (structural: config/index.ts imports this file). */
interface ParsedConfig {
  NODE_ENV: string;
  CARRIERS_ENABLED: string;
}

export const DEV_API_KEYS = 'storefront:dev-storefront-key,support:dev-support-key,ops:dev-ops-key,admin:dev-admin-key';
export const DEV_CUSTOMER_TOKEN_SECRET = 'dev-customer-token-secret';
export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret';
export const DEV_ORDER_ID_SECRET = 'dev-order-id-secret';

export const MIN_SECRET_LENGTH = 32;

/** Every dev value a production secret must not be (the dev keys, whatever their role). */
const DEV_VALUES = new Set([
  ...DEV_API_KEYS.split(',').map((e) => e.slice(e.indexOf(':') + 1)),
  DEV_CUSTOMER_TOKEN_SECRET,
  DEV_WEBHOOK_SECRET,
  DEV_ORDER_ID_SECRET,
]);

/** Which secrets a process holds: the API all of them, the carrier sandbox the webhook secrets. */
export type SecretGroup = 'apiKeys' | 'customerToken' | 'orderIds' | 'webhooks';
export const ALL_SECRETS: readonly SecretGroup[] = ['apiKeys', 'customerToken', 'orderIds', 'webhooks'];

function problemWith(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return 'is missing';
  if (DEV_VALUES.has(value)) return 'is a development default';
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters`;
  return undefined;
}

/** Raw `role:key` / `carrier:secret` entries (values are checked, so no parsing errors here). */
function entries(spec: string | undefined): Array<[string, string]> {
  return (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((e) => [e.slice(0, Math.max(0, e.indexOf(':'))).toLowerCase(), e.slice(e.indexOf(':') + 1)]);
}

/** Every problem with the secrets of `groups` (empty outside production). */
export function productionSecretProblems(config: ParsedConfig, env: NodeJS.ProcessEnv, groups: readonly SecretGroup[]): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const check = (name: string, value: string | undefined) => {
    const p = problemWith(value);
    if (p) problems.push(`${name} ${p}`);
  };
  if (groups.includes('apiKeys')) {
    const keys = entries(env.API_KEYS);
    if (!keys.length) problems.push('API_KEYS is missing');
    for (const [role, key] of keys) check(`API_KEYS (${role || '?'} key)`, key);
  }
  if (groups.includes('customerToken')) check('CUSTOMER_TOKEN_SECRET', env.CUSTOMER_TOKEN_SECRET);
  if (groups.includes('orderIds')) check('ORDER_ID_SECRET', env.ORDER_ID_SECRET);
  if (groups.includes('webhooks')) {
    // Each enabled carrier needs its own entry; the single CARRIER_WEBHOOK_SECRET fallback is for development.
    const listed = new Map(entries(env.CARRIER_WEBHOOK_SECRETS));
    for (const carrier of config.CARRIERS_ENABLED.split(',')
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean)) {
      const value = listed.get(carrier) ?? (carrier === 'easypost' ? env.EASYPOST_WEBHOOK_SECRET : undefined);
      check(`CARRIER_WEBHOOK_SECRETS (${carrier})`, value);
    }
  }
  return problems;
}

/** Throws one error naming every bad secret (the process must not start). */
export function assertProductionSecrets(config: ParsedConfig, env: NodeJS.ProcessEnv, groups: readonly SecretGroup[]): void {
  const problems = productionSecretProblems(config, env, groups);
  if (problems.length) {
    throw new Error(
      `Refusing to start with NODE_ENV=production:\n${problems.map((p) => `  ${p}`).join('\n')}\n` +
        `Set each to a random value of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`).`,
    );
  }
}
