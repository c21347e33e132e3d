/**
 * Configuration: read once from the environment, validated with zod. Every variable is documented
 * in `.env.example`; `docker-compose.yml` is checked against `configSchema` by a test.
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const DEV_API_KEYS = 'storefront:dev-storefront-key,support:dev-support-key,ops:dev-ops-key,admin:dev-admin-key';

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  /** Public base URL of the API, used in Location headers and webhook URLs. */
  PUBLIC_URL: z.url().optional(),
  API_KEYS: z.string().default(DEV_API_KEYS),
  TRUST_PROXY: bool.default(false),

  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/cathay'),
  DATABASE_POOL_MAX: positiveInt.default(20),

  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default('cathay:'),
  /** false: every cached read goes to Postgres (debugging, benchmarks). */
  CACHE_ENABLED: bool.default(true),
  CACHE_PRODUCT_TTL_SECONDS: positiveInt.default(300),
  CACHE_NOT_FOUND_TTL_SECONDS: positiveInt.default(30),
  CACHE_LIST_TTL_SECONDS: positiveInt.default(60),
  CACHE_STORE_CONFIG_TTL_SECONDS: positiveInt.default(300),
  /** The cache invalidator wakes on NOTIFY; this is its fallback poll interval. */
  CACHE_INVALIDATOR_POLL_MS: positiveInt.default(500),

  MEILI_URL: z.url().default('http://127.0.0.1:7700'),
  MEILI_MASTER_KEY: z.string().optional(),
  MEILI_INDEX_PREFIX: z.string().default(''),
  MEILI_TIMEOUT_MS: positiveInt.default(800),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  /** Prefix for task queue names, so several test runs can share one server. */
  TEMPORAL_TASK_QUEUE_PREFIX: z.string().default(''),
  /** Which task queues this worker process polls (comma list of orders, shipping, sync). */
  WORKER_TASK_QUEUES: z.string().default('orders,shipping,sync'),
  WORKER_METRICS_PORT: port.default(9464),

  PAYMENT_URL: z.url().default('http://127.0.0.1:4010'),
  CARRIER_URL: z.url().default('http://127.0.0.1:4020'),
  CARRIERS_ENABLED: z.string().default('swiftship,parcelpro'),
  CARRIER_WEBHOOK_SECRET: z.string().min(8).default('dev-webhook-secret'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  MAIL_FROM: z.string().default('Cathay Shop <orders@cathay.test>'),

  SANDBOX_PAYMENT_PORT: port.default(4010),
  SANDBOX_CARRIER_PORT: port.default(4020),
  SANDBOX_MAIL_SMTP_PORT: port.default(2525),
  SANDBOX_MAIL_HTTP_PORT: port.default(4030),

  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
  PAYMENT_WINDOW_MINUTES: positiveInt.default(15),
  FAILED_ORDER_HOLD_HOURS: positiveInt.default(72),

  SEED_PRODUCTS: z.coerce.number().int().min(0).default(100_000),
});

export type Config = z.infer<typeof configSchema>;

/** Parses an environment; throws one readable error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Task queue names, prefixed for isolation. */
export function taskQueues(config: Pick<Config, 'TEMPORAL_TASK_QUEUE_PREFIX'>) {
  const p = config.TEMPORAL_TASK_QUEUE_PREFIX;
  return { orders: `${p}orders`, shipping: `${p}shipping`, sync: `${p}sync` } as const;
}
