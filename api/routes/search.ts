/**
 * `GET /v1/search`: full-text product search over Meilisearch with filters, facets, price range
 * and sorting. Query validation failures (bad prices, unknown sort, limit > 100, unknown
 * parameters) are 400 `invalid_filter` naming each parameter. Meilisearch unreachable or slow →
 * 503 `dependency_unavailable` within MEILI_TIMEOUT_MS (client timeout), never a hang.
 */
import type { SearchResponse as MeiliSearchResponse } from 'meilisearch';
import { AppError, dependencyUnavailable } from '../../domain/errors';
import { SearchQuerySchema, type SearchResponse, SearchResponseSchema } from '../../domain/schemas/search';
import { productIndexes } from '../../search/client';
import { SUMMARY_FIELDS, type SummaryDocument, toSummary } from '../../search/documents';
import { isMeiliUnavailable, meiliErrorCode } from '../../search/errors';
import { buildFilter, buildSort } from '../../search/filters';
import { createMeiliSearcher } from '../../search/http-search';
import { apiSearchKey } from '../../search/keys';
import { PRODUCT_FIELDS } from '../../search/settings';
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';

/** Meilisearch errors that mean the index lacks our filterable/sortable settings. */
const INDEX_NOT_READY = new Set(['invalid_search_filter', 'invalid_search_sort', 'invalid_search_facets']);

export function registerSearchRoutes(route: RouteRegistrar, deps: AppDeps): void {
  const { live } = productIndexes(deps.config.MEILI_INDEX_PREFIX);
  const searcher = createMeiliSearcher({
    url: deps.config.MEILI_URL,
    apiKey: apiSearchKey(deps.config), // search-only (search/keys.ts)
    timeoutMs: deps.config.MEILI_TIMEOUT_MS,
  });
  const facets = [...PRODUCT_FIELDS.facets, 'price'];

  route({
    method: 'get',
    path: '/v1/search',
    summary: 'Search products',
    description:
      'Typo-tolerant full-text search; `q` may be empty to browse by filters. `category` and `brand` repeat ' +
      '(OR within a field, AND across fields). Facet counts and the price range describe every match, not only this page.',
    tags: ['search'],
    auth: 'public',
    query: SearchQuerySchema,
    queryErrorCode: 'invalid_filter',
    errors: ['dependency_unavailable'],
    responses: { 200: { description: 'Matching products, facets and price range', schema: SearchResponseSchema } },
    handler: async ({ query, res, log }): Promise<SearchResponse> => {
      let r: MeiliSearchResponse<SummaryDocument>;
      try {
        r = await searcher.search<SummaryDocument>(live, {
          q: query.q,
          filter: buildFilter(query),
          sort: buildSort(query.sort),
          facets,
          limit: query.limit,
          offset: query.offset,
          attributesToRetrieve: [...SUMMARY_FIELDS],
        });
      } catch (err) {
        if (isMeiliUnavailable(err)) {
          deps.metrics.dependencyErrors.inc({ dependency: 'meilisearch' });
          throw dependencyUnavailable('search', err, 2);
        }
        const code = meiliErrorCode(err);
        // No index yet, or one without our settings (e.g. created by hand): not the caller's fault,
        // and a reindex (the stack or the worker starts one) repairs it.
        if (code === 'index_not_found' || (code && INDEX_NOT_READY.has(code))) {
          if (code !== 'index_not_found') log.error({ err, code }, 'search index settings do not match search/settings.ts; reindex');
          throw new AppError('dependency_unavailable', 'The search index is being built, try again shortly', {
            retryAfter: 10,
            cause: err,
            extra: { dependency: 'search' },
          });
        }
        throw err;
      }
      res.setHeader('Cache-Control', 'public, max-age=5');
      const price = r.facetStats?.price;
      return {
        hits: r.hits.map(toSummary),
        total: r.estimatedTotalHits ?? r.totalHits ?? r.hits.length,
        limit: query.limit,
        offset: query.offset,
        facets: { category: r.facetDistribution?.category ?? {}, brand: r.facetDistribution?.brand ?? {} },
        priceRange: { min: price ? Math.round(price.min) : null, max: price ? Math.round(price.max) : null },
        processingTimeMs: r.processingTimeMs,
      };
    },
  });
}
