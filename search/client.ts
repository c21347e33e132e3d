import { Meilisearch } from 'meilisearch';

export type { Meilisearch };

/** Meilisearch client with a request timeout, so a dead engine becomes a fast error, never a hang. */
export function createMeili(opts: { url: string; apiKey?: string | undefined; timeoutMs: number }): Meilisearch {
  return new Meilisearch({ host: opts.url, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}), timeout: opts.timeoutMs });
}

/** The full index name for a logical index (`products`), with the configured prefix. */
export function indexName(prefix: string, logical: string): string {
  return `${prefix}${logical}`;
}

/** The live product index and the one a full reindex builds aside before swapping. */
export function productIndexes(prefix: string): { live: string; tmp: string } {
  return { live: indexName(prefix, 'products'), tmp: indexName(prefix, 'products_tmp') };
}
