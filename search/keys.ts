/**
 * The search-only Meilisearch key the API searches with, so the process that takes user input
 * can read the product index and nothing else (no writes, no settings, no other key).
 *
 * Meilisearch derives a key's value from its uid and the master key — hex(HMAC-SHA256(master,
 * uid)), "allowing users to generate their own keys" (meilisearch/crates/meilisearch-auth) — so
 * with a fixed uid every process computes the same search key from the master key without a
 * round trip, and whoever holds the master key (the stack, the test harness, the worker) makes
 * sure the key exists with `ensureSearchKey` (idempotent by uid). MEILI_SEARCH_KEY, when set,
 * wins: then the API needs no master key at all.
 */
import { createHmac } from 'node:crypto';

/** The uid of the engine's search key (any fixed UUID; changing it retires the old key). */
export const SEARCH_KEY_UID = '5f0c8a52-7a3e-4c1b-9d2e-3b8f6a1c0d47';

export function searchKeyFor(masterKey: string, uid = SEARCH_KEY_UID): string {
  return createHmac('sha256', masterKey).update(uid.toLowerCase()).digest('hex');
}

/** The key the API searches with: MEILI_SEARCH_KEY, else the one derived from the master key, else none (a keyless dev engine). */
export function apiSearchKey(config: { MEILI_SEARCH_KEY?: string | undefined; MEILI_MASTER_KEY?: string | undefined }): string | undefined {
  return config.MEILI_SEARCH_KEY ?? (config.MEILI_MASTER_KEY ? searchKeyFor(config.MEILI_MASTER_KEY) : undefined);
}

/**
 * Creates the search-only key (actions `search`, indexes `{indexPrefix}*`) unless it exists;
 * returns its value. Needs the master key. An engine without a master key has no keys: returns
 * undefined.
 */
export async function ensureSearchKey(opts: {
  url: string;
  masterKey: string | undefined;
  indexPrefix: string;
  timeoutMs?: number;
}): Promise<string | undefined> {
  if (!opts.masterKey) return undefined;
  const res = await fetch(new URL('keys', opts.url.endsWith('/') ? opts.url : `${opts.url}/`), {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      uid: SEARCH_KEY_UID,
      name: 'cathay-api-search',
      description: 'Search-only key of the Cathay Shop API (created by the stack from the master key)',
      actions: ['search'],
      indexes: [`${opts.indexPrefix}*`],
      expiresAt: null,
    }),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
  });
  const body = (await res.json().catch(() => ({}))) as { key?: string; code?: string; message?: string };
  if (res.status === 201 && body.key) return body.key;
  if (body.code === 'api_key_already_exists') return searchKeyFor(opts.masterKey);
  throw new Error(`could not create the Meilisearch search key: ${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
}
