/**
 * Configuration: read once from the environment, validated with zod. Every variable is documented
 * in `.env.example`; `docker-compose.yml` is checked against `configSchema` by a test.
 */
import { z } from 'zod';
import { limitsConfigShape } from './limits';
import {
  assertProductionSecrets,
  DEV_API_KEYS,
  DEV_CUSTOMER_TOKEN_SECRET,
  DEV_ORDER_ID_SECRET,
  DEV_WEBHOOK_SECRET,
  type SecretGroup,
} from './secrets';

export {
  ALL_SECRETS,
  DEV_API_KEYS,
  DEV_CUSTOMER_TOKEN_SECRET,
  DEV_ORDER_ID_SECRET,
  DEV_WEBHOOK_SECRET,
  MIN_SECRET_LENGTH,
  type SecretGroup,
} from './secrets';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  /** Public base URL of the API, used in Location headers and webhook URLs. */
  PUBLIC_URL: z.url().optional(),
  API_KEYS: z.string().default(DEV_API_KEYS),
  TRUST_PROXY: bool.default(false),
  /** HS256 key of the customer tokens (X-Customer-Token) the shop's sign-in issues. */
  CUSTOMER_TOKEN_SECRET: z.string().min(16).default(DEV_CUSTOMER_TOKEN_SECRET),
  /**
   * HMAC key of new order ids (`ord_` + HMAC(customer, Idempotency-Key)), so nobody can derive an
   * order id from a customer id and a key. Never rotate it while orders are being placed: a retry
   * under the old key would get a new id (docs/security.md).
   */
  ORDER_ID_SECRET: z.string().min(16).default(DEV_ORDER_ID_SECRET),
  /** Console sign-in sessions end this long after sign-in (absolute, not sliding). */
  CONSOLE_SESSION_TTL_SECONDS: positiveInt.max(86_400).default(28_800),

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
  /** The worker's per-request budget (indexing batches, tasks, settings): larger than a search's. */
  MEILI_INDEXING_TIMEOUT_MS: positiveInt.default(5_000),
  /** Outbox rows the search sync claims per batch. */
  SEARCH_SYNC_BATCH_SIZE: positiveInt.max(5_000).default(500),
  /** How often an idle search sync looks for new outbox rows. */
  SEARCH_SYNC_IDLE_POLL_MS: positiveInt.max(10_000).default(200),
  /** Length of one search sync activity run (the workflow records one event group per run). */
  SEARCH_SYNC_RUN_MS: positiveInt.min(1_000).max(300_000).default(60_000),
  /** Products read from Postgres and sent to Meilisearch per request during a full reindex. */
  SEARCH_REINDEX_PAGE_SIZE: positiveInt.max(10_000).default(2_000),
  /** Products per reindex activity (progress is reported between chunks). */
  SEARCH_REINDEX_CHUNK_SIZE: positiveInt.max(200_000).default(20_000),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  /**
   * How the API's Temporal client connects: the SDK's Rust core (`native`, default) or grpc-js,
   * whose calls cost the API's GC on Node 20 (temporal/native-connection.ts). grpc-js stays
   * selectable for a network path only it supports, and to measure the two side by side.
   */
  API_TEMPORAL_TRANSPORT: z.enum(['native', 'grpc-js']).default('native'),
  /** Prefix for task queue names, so several test runs can share one server. */
  TEMPORAL_TASK_QUEUE_PREFIX: z.string().default(''),
  /** Which task queues this worker process polls (comma list of orders, shipping, sync). */
  WORKER_TASK_QUEUES: z.string().default('orders,shipping,sync'),
  WORKER_METRICS_PORT: port.default(9464),

  PAYMENT_URL: z.url().default('http://127.0.0.1:4010'),
  CARRIER_URL: z.url().default('http://127.0.0.1:4020'),
  CARRIERS_ENABLED: z.string().default('swiftship,parcelpro'),
  /** Per-carrier webhook secrets, `carrier:secret` comma list (e.g. `swiftship:…,parcelpro:…`). */
  CARRIER_WEBHOOK_SECRETS: z
    .string()
    .default('')
    .transform((spec, ctx) => {
      try {
        return parseCarrierSecrets(spec);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Development fallback for a carrier missing from CARRIER_WEBHOOK_SECRETS (not accepted in production). */
  CARRIER_WEBHOOK_SECRET: z.string().min(8).default(DEV_WEBHOOK_SECRET),
  /** Per carrier call (one attempt); an activity retries a timed-out call within the rates deadline. */
  CARRIER_TIMEOUT_MS: positiveInt.default(1_000),
  /** EasyPost-shaped aggregator, used when CARRIERS_ENABLED lists `easypost`. */
  EASYPOST_URL: z.url().default('https://api.easypost.com/v2'),
  EASYPOST_API_KEY: z.string().optional(),
  /** Webhook secret configured at EasyPost (else the `easypost` entry of CARRIER_WEBHOOK_SECRETS). */
  EASYPOST_WEBHOOK_SECRET: z.string().optional(),
  /** Stored EasyPost address (adr_…) parcels ship from. */
  EASYPOST_FROM_ADDRESS_ID: z.string().optional(),
  /** Attempts per carrier for a rate request (bounded retries inside SHIPPING_RATES_DEADLINE_MS). */
  CARRIER_RATE_MAX_ATTEMPTS: positiveInt.default(3),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  MAIL_FROM: z.string().default('Cathay Shop <orders@cathay.test>'),
  /** Per call to the payment provider; a slower answer is a retryable failure (same idempotency key). */
  PAYMENT_TIMEOUT_MS: positiveInt.default(5_000),

  SANDBOX_PAYMENT_PORT: port.default(4010),
  SANDBOX_CARRIER_PORT: port.default(4020),
  SANDBOX_MAIL_SMTP_PORT: port.default(2525),
  SANDBOX_MAIL_HTTP_PORT: port.default(4030),
  /** How many messages the mail sink keeps (the oldest go first): the chaos audit reads them all, the soak needs few. */
  SANDBOX_MAIL_KEEP: positiveInt.default(10_000),
  /**
   * The payment sandbox's journal (ledger and idempotency records, JSON lines) so a restart
   * forgets nothing, like a real provider; relative to the working directory. `off` = memory only.
   */
  SANDBOX_PAYMENT_DATA_FILE: z.string().min(1).default('.data/payment-sandbox.jsonl'),
  /**
   * Where the carrier sandbox delivers tracking webhooks (`{carrier}` is replaced); `off` = none.
   * Unset: `${PUBLIC_URL}/v1/webhooks/carriers/{carrier}`, or the API at HOST:PORT without PUBLIC_URL.
   */
  SANDBOX_CARRIER_WEBHOOK_URL: z.string().optional(),

  /** How long a shipping quote (and the cached rates answer) stays valid. */
  SHIPPING_QUOTE_TTL_SECONDS: positiveInt.default(900),
  /** How long a carrier that failed for a request is remembered as unavailable for it (no re-asking). */
  SHIPPING_UNAVAILABLE_TTL_SECONDS: positiveInt.default(30),
  /** Overall deadline of a rates request: carriers that have not answered by then are `unavailable`. */
  SHIPPING_RATES_DEADLINE_MS: positiveInt.default(2_000),
  /** Tracking polls start at this interval and double up to the maximum (webhooks usually come first). */
  TRACKING_POLL_INITIAL_SECONDS: positiveInt.default(300),
  TRACKING_POLL_MAX_SECONDS: positiveInt.default(21_600),

  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
  /** The one currency the shop sells in: prices (and any money the API takes) in another are a 400. */
  STORE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  PAYMENT_WINDOW_MINUTES: positiveInt.default(15),
  FAILED_ORDER_HOLD_HOURS: positiveInt.default(72),
  /** Returns: only orders delivered within this many days may be returned. */
  RETURN_WINDOW_DAYS: positiveInt.default(30),
  /** An approved return whose parcel never moves is closed (`rejected`, `label_expired`) after this many days. */
  RETURN_LABEL_DAYS: positiveInt.default(14),
  /** Safety net: how often the schedule looks for expired stock holds no order workflow owns. */
  HOLD_SWEEP_INTERVAL_SECONDS: positiveInt.default(300),
  /** …and how long past `expires_at` a hold must be (the order workflow's own timer goes first). */
  HOLD_SWEEP_GRACE_SECONDS: z.coerce.number().int().min(0).default(120),
  /** Rows per transaction when the inventorySync workflow applies a bulk sync. */
  INVENTORY_SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** How long POST /v1/orders waits for `confirmed` before answering 202 `placed`. */
  ORDER_SYNC_WAIT_MS: positiveInt.max(30_000).default(4_500),
  /** Retry policy of every order step; a step that exhausts it sets the order `failed`. */
  ORDER_STEP_MAX_ATTEMPTS: positiveInt.default(10),
  ORDER_STEP_RETRY_INITIAL_MS: positiveInt.default(1_000),
  ORDER_STEP_RETRY_MAX_MS: positiveInt.default(30_000),
  /** Comment lines sent on idle order event streams (keeps proxies from closing them). */
  SSE_HEARTBEAT_MS: positiveInt.default(15_000),

  SEED_PRODUCTS: z.coerce.number().int().min(0).default(100_000),

  ...limitsConfigShape,
});

export type Config = z.infer<typeof configSchema>;

/** `carrier:secret,…` → { carrier: secret }. The secret may contain ':' (split at the first). */
export function parseCarrierSecrets(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0 || idx === part.length - 1) throw new Error('entries must look like carrier:secret');
    const carrier = part.slice(0, idx).trim().toLowerCase();
    if (carrier in out) throw new Error(`carrier ${carrier} is listed twice`);
    out[carrier] = part.slice(idx + 1);
  }
  return out;
}

/**
 * The webhook secret of one carrier: its CARRIER_WEBHOOK_SECRETS entry (EasyPost: also
 * EASYPOST_WEBHOOK_SECRET), else the development fallback CARRIER_WEBHOOK_SECRET.
 */
export function carrierWebhookSecret(
  config: Pick<Config, 'CARRIER_WEBHOOK_SECRET'> & Partial<Pick<Config, 'CARRIER_WEBHOOK_SECRETS' | 'EASYPOST_WEBHOOK_SECRET'>>,
  carrier: string,
): string {
  return (
    config.CARRIER_WEBHOOK_SECRETS?.[carrier] ??
    (carrier === 'easypost' ? config.EASYPOST_WEBHOOK_SECRET : undefined) ??
    config.CARRIER_WEBHOOK_SECRET
  );
}

export interface LoadOptions {
  /**
   * The secrets this process holds; with NODE_ENV=production each must be set, at least
   * MIN_SECRET_LENGTH long and none of the dev defaults (the API: all; the sandboxes: webhooks).
   */
  secrets?: readonly SecretGroup[];
}

/** Parses an environment; throws one readable error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadOptions = {}): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (opts.secrets?.length) assertProductionSecrets(parsed.data, env, opts.secrets);
  return parsed.data;
}

/** Task queue names, prefixed for isolation. */
export function taskQueues(config: Pick<Config, 'TEMPORAL_TASK_QUEUE_PREFIX'>) {
  const p = config.TEMPORAL_TASK_QUEUE_PREFIX;
  return { orders: `${p}orders`, shipping: `${p}shipping`, sync: `${p}sync` } as const;
}
