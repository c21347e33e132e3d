/**
 * Classifies Meilisearch client errors: "the engine is unreachable or overloaded" (a 503 for the
 * API, a retry for the sync) versus "we sent something wrong" (a bug, a 500).
 */
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch';

/** The engine did not answer (connection refused, timeout) or answered 5xx. */
export function isMeiliUnavailable(err: unknown): boolean {
  if (err instanceof MeilisearchRequestTimeOutError || err instanceof MeilisearchRequestError) return true;
  if (err instanceof MeilisearchApiError) return err.response.status >= 500 || err.response.status === 429;
  return false;
}

/** Meilisearch's own error code (`index_not_found`, `invalid_search_filter`, …), if it sent one. */
export function meiliErrorCode(err: unknown): string | undefined {
  return err instanceof MeilisearchApiError ? err.cause?.code : undefined;
}
