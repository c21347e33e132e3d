/**
 * Request and response schemas of search (`GET /v1/search`) and of the search index admin routes.
 * Hits are the catalog's list item (`ProductSummarySchema` of `domain/schemas/catalog.ts`): one schema.
 */
import { type ProductSummary, ProductSummarySchema } from './catalog';
import { intParam, limitParam, repeatable, singleLine, z } from './common';

export const SEARCH_SORTS = ['relevance', 'price:asc', 'price:desc', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** offset + limit may not pass this (the index's `pagination.maxTotalHits`). */
export const SEARCH_MAX_WINDOW = 10_000;
/** Values one repeatable filter may carry. */
export const SEARCH_MAX_FILTER_VALUES = 50;
const PRICE_MAX = 2_147_483_647; // products.price_amount is a Postgres integer

const filterValues = (what: string) =>
  repeatable(singleLine().min(1, `${what} may not be empty`).max(200), { min: 1, max: 200 })
    .refine((v) => v.length <= SEARCH_MAX_FILTER_VALUES, `at most ${SEARCH_MAX_FILTER_VALUES} values`)
    .optional();

const price = (description: string) =>
  intParam({ min: 0, max: PRICE_MAX }).optional().openapi({ type: 'integer', minimum: 0, description });

export const SearchQuerySchema = z
  .strictObject({
    q: singleLine().max(512).optional().default('').openapi({ description: 'Full-text query; empty browses by filters' }),
    category: filterValues('category').openapi({ description: 'Repeatable; OR within the field, AND across fields' }),
    brand: filterValues('brand').openapi({ description: 'Repeatable; OR within the field, AND across fields' }),
    minPrice: price('Lowest price, integer minor units, inclusive'),
    maxPrice: price('Highest price, integer minor units, inclusive'),
    inStock: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .openapi({
        type: 'boolean',
        description: '`true`: only products that can be ordered now (in_stock or low_stock); `false`: only out_of_stock ones',
      }),
    sort: z.enum(SEARCH_SORTS).optional().default('relevance'),
    limit: limitParam.openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    offset: intParam({ min: 0, max: SEARCH_MAX_WINDOW }).optional().default(0).openapi({ type: 'integer', minimum: 0, default: 0 }),
  })
  .superRefine((v, ctx) => {
    if (v.minPrice !== undefined && v.maxPrice !== undefined && v.minPrice > v.maxPrice) {
      ctx.addIssue({ code: 'custom', path: ['minPrice'], message: 'minPrice must not be greater than maxPrice' });
    }
    if (v.offset + v.limit > SEARCH_MAX_WINDOW) {
      ctx.addIssue({ code: 'custom', path: ['offset'], message: `offset + limit may not exceed ${SEARCH_MAX_WINDOW}` });
    }
  });
export type SearchQuery = z.output<typeof SearchQuerySchema>;

/** A product in a result list: the catalog's list item (`GET /v1/products`), one schema for both. */
export const SearchSummarySchema = ProductSummarySchema;
export type SearchSummary = ProductSummary;

const FacetCountsSchema = z.record(z.string(), z.number().int());

export const SearchResponseSchema = z
  .object({
    hits: z.array(SearchSummarySchema),
    total: z.number().int().openapi({ description: 'Matching products (exact for filter-only browsing, estimated for text queries)' }),
    limit: z.number().int(),
    offset: z.number().int(),
    facets: z.object({ category: FacetCountsSchema, brand: FacetCountsSchema }),
    priceRange: z
      .object({ min: z.number().int().nullable(), max: z.number().int().nullable() })
      .openapi({ description: 'Lowest and highest price among the matches (minor units); null when nothing matches' }),
    processingTimeMs: z.number().int(),
  })
  .openapi('SearchResult');
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

// --- reindex -------------------------------------------------------------------------------

export const REINDEX_PHASES = ['preparing', 'indexing', 'swapping', 'done'] as const;

/** Progress of a full reindex, as the reindex workflow reports it (query) and returns it. */
export const ReindexProgressSchema = z.object({
  phase: z.enum(REINDEX_PHASES),
  total: z.number().int().openapi({ description: 'Products to index (counted when the job started)' }),
  indexed: z.number().int(),
  startedAt: z.string().openapi({ format: 'date-time' }),
  finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
  docsPerSecond: z.number().nullable(),
  index: z.string().openapi({ description: 'The live index the job rebuilds' }),
});
export type ReindexProgress = z.infer<typeof ReindexProgressSchema>;

export const ReindexJobParamsSchema = z.strictObject({ jobId: z.uuid() });

export const ReindexStartedSchema = z
  .object({
    jobId: z.string(),
    workflowId: z.string(),
    status: z.literal('running'),
    alreadyRunning: z.boolean().openapi({ description: 'true when a reindex was already running; this is that job' }),
    statusUrl: z.string(),
  })
  .openapi('ReindexStarted');
export type ReindexStarted = z.infer<typeof ReindexStartedSchema>;

export const ReindexJobSchema = z
  .object({
    jobId: z.string(),
    workflowId: z.string(),
    status: z.enum(['running', 'completed', 'failed']),
    progress: ReindexProgressSchema.nullable(),
    error: z.string().optional(),
  })
  .openapi('ReindexJob');
export type ReindexJob = z.infer<typeof ReindexJobSchema>;

const SearchSyncRunSchema = z.object({
  batches: z.number().int(),
  rows: z.number().int(),
  upserts: z.number().int(),
  deletes: z.number().int(),
  unchanged: z.number().int(),
  errors: z.number().int(),
  lastError: z.string().nullable(),
  lagMsP50: z.number().nullable(),
  lagMsP95: z.number().nullable(),
  lagMsMax: z.number().nullable(),
  lastBatchAt: z.string().nullable(),
});

export const SearchSyncStatusSchema = z
  .object({
    backlog: z.object({
      pending: z.number().int().openapi({ description: 'Outbox changes not yet in the search index' }),
      oldestAt: z.string().nullable().openapi({ format: 'date-time' }),
      lagSeconds: z.number().openapi({ description: 'Age of the oldest pending change (0 when none is pending)' }),
    }),
    workflow: z
      .object({
        workflowId: z.string(),
        since: z.string().openapi({ format: 'date-time' }),
        // The same counters as one run, summed, plus how many runs.
        totals: z
          .object({ runs: z.number().int() })
          .extend(
            SearchSyncRunSchema.pick({ batches: true, rows: true, upserts: true, deletes: true, unchanged: true, errors: true }).shape,
          ),
        lastRun: SearchSyncRunSchema.nullable(),
        lastError: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'The searchSync workflow’s own report; null when it is not running or Temporal cannot be asked' }),
  })
  .openapi('SearchSyncStatus');
export type SearchSyncStatusView = z.infer<typeof SearchSyncStatusSchema>;
