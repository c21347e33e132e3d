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
    // `sort` after `words`/`typo`: with a text query, relevance still decides which products match well.
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
    typoTolerance: {
      enabled: true,
      // 6-letter words ("iphnoe") may carry two typos: a swap of two letters counts as two.
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 6 },
    },
    faceting: {
      // Category and brand facets list the biggest first (a storefront shows the top values).
      maxValuesPerFacet: 100,
      sortFacetValuesBy: { '*': 'count' },
    },
    pagination: { maxTotalHits: SEARCH_MAX_WINDOW },
    // Word proximity per attribute instead of per word position: far cheaper to index, and our
    // fields are short.
    proximityPrecision: 'byAttribute',
    synonyms,
  };
}
