/**
 * The product index's settings, in code: what is searched (in rank order), filtered, sorted and
 * faceted. Applied when an index is created (reindex, or the sync finding no index) and compared
 * on start-up, so the running index never drifts from this file.
 */
import type { Settings } from 'meilisearch';
import { SEARCH_MAX_WINDOW } from '../domain/schemas/search';
import { DEFAULT_SYNONYMS, type Synonyms } from './synonyms';

/** Document attributes the filter builder and the API rely on. */
export const PRODUCT_FIELDS = {
  searchable: ['name', 'brand', 'category', 'description'],
  filterable: ['category', 'brand', 'price', 'availabilityStatus'],
  sortable: ['price', 'createdAt'],
  facets: ['category', 'brand'],
} as const;

export function productIndexSettings(synonyms: Synonyms = DEFAULT_SYNONYMS): Settings {
  return {
    // Order is rank: a match in the name outranks one in the brand, then category, then description.
    searchableAttributes: [...PRODUCT_FIELDS.searchable],
    filterableAttributes: [...PRODUCT_FIELDS.filterable],
    sortableAttributes: [...PRODUCT_FIELDS.sortable],
    // `sort` right after `words`: a shopper who sorts by price gets every product matching all the
    // words in price order (not only ties between equally relevant ones); without a sort, the
    // remaining rules rank by typos, proximity, attribute (name before brand before category…).
    rankingRules: ['words', 'sort', 'typo', 'proximity', 'attribute', 'exactness'],
    typoTolerance: {
      enabled: true,
      // 6-letter words ("iphnoe") may carry two typos: a swap of two letters counts as two.
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 6 },
    },
    faceting: {
      // Category and brand facets list the biggest first (a storefront shows the top values).
      // `price` is requested only for its min/max (facetStats); ordering its thousands of values
      // by count would have to count them all, which measured 2× slower queries (bench/search).
      maxValuesPerFacet: 100,
      sortFacetValuesBy: { '*': 'alpha', category: 'count', brand: 'count' },
    },
    pagination: { maxTotalHits: SEARCH_MAX_WINDOW },
    // We never call the facet-search endpoint; not building its structures saves indexing work.
    facetSearch: false,
    // Word proximity per attribute instead of per word position: far cheaper to index, and our
    // fields are short.
    proximityPrecision: 'byAttribute',
    synonyms,
  };
}
