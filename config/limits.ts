/**
 * The configuration of the abuse limits, the concurrency caps, the payload codec and the
 * search-only Meilisearch key (docs/limits.md). Kept apart from config/index.ts, which spreads
 * this shape into its schema, so the variables of one concern sit together.
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const points = z.coerce.number().int().min(1);

/** The route groups a rate limit applies to (api/middleware/rate-limit.ts maps paths to them). */
export const RATE_LIMIT_GROUPS = ['public', 'search', 'shipping', 'orders', 'ops'] as const;
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];

export const limitsConfigShape = {
  /** false: no rate limits at all (the concurrency caps stay). */
  RATE_LIMIT_ENABLED: bool.default(true),
  /** Redis key prefix of the buckets, under REDIS_KEY_PREFIX (the test harness gives each API its own). */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('rl'),
  /** Every bucket counts requests over this fixed window. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(10),
  /**
   * Requests per window. `_IP`: a client without a valid API key, per client IP (anonymous
   * storefront visitors). `_KEY`: a valid API key, per key (a shop's server speaks for many users).
   */
  RATE_LIMIT_PUBLIC_IP: points.default(200),
  RATE_LIMIT_PUBLIC_KEY: points.default(5_000),
  RATE_LIMIT_SEARCH_IP: points.default(150),
  RATE_LIMIT_SEARCH_KEY: points.default(3_000),
  RATE_LIMIT_SHIPPING_IP: points.default(100),
  RATE_LIMIT_SHIPPING_KEY: points.default(2_000),
  RATE_LIMIT_ORDERS_IP: points.default(100),
  RATE_LIMIT_ORDERS_KEY: points.default(1_000),
  RATE_LIMIT_OPS_IP: points.default(100),
  RATE_LIMIT_OPS_KEY: points.default(2_000),
  /** Shipping-rate cache misses (each starts a quote workflow) one API process runs at once. */
  SHIPPING_RATES_MAX_CONCURRENT: points.default(16),
  /** Order placements one API process runs at once (each holds a Temporal Update for up to ORDER_SYNC_WAIT_MS). */
  ORDERS_MAX_CONCURRENT: points.default(64),

  /**
   * Payload encryption keys, `id:base64` (32 bytes each), comma separated; PAYLOAD_CODEC_ACTIVE_KEY
   * encrypts, every listed key decrypts (rotation). Unset: a fixed dev key in development and
   * test; required in production.
   */
  PAYLOAD_CODEC_KEYS: z.string().optional(),
  PAYLOAD_CODEC_ACTIVE_KEY: z.string().optional(),
  /** Origins allowed to call the codec endpoint from a browser (the Temporal Web UI); default: TEMPORAL_UI_URL's. */
  CODEC_CORS_ORIGINS: z.string().optional(),

  /** The search-only Meilisearch key the API searches with; unset: derived at API start from MEILI_MASTER_KEY. */
  MEILI_SEARCH_KEY: z.string().optional(),
} as const;
