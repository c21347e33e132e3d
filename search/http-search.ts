/**
 * The search hot path's HTTP client: `POST /indexes/{uid}/search` over node:http with a
 * keep-alive agent. The meilisearch JS client goes through the global fetch, which measured
 * 45–55 ms per search against 8–13 ms for node:http on the same engine, index and query here
 * (bench/search); everything else (indexing, tasks, settings) keeps using the JS client. Speaks
 * https (node:https, same agent settings) when MEILI_URL does.
 * Failures are the JS client's own error classes, so `search/errors.ts` classifies both alike.
 */
import http from 'node:http';
import https from 'node:https';
import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  type SearchParams,
  type SearchResponse,
} from 'meilisearch';

export interface MeiliSearcher {
  search<T extends Record<string, unknown>>(indexUid: string, params: SearchParams & { q: string }): Promise<SearchResponse<T>>;
}

export function createMeiliSearcher(opts: {
  url: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  maxSockets?: number;
}): MeiliSearcher {
  const base = new URL(opts.url);
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const secure = base.protocol === 'https:';
  const request = secure ? https.request : http.request;
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 64, keepAliveMsecs: 10_000 };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  // The path per index, built once: a URL parse per request (and node:http turning the URL back
  // into options) showed in the API's CPU profile under load.
  const paths = new Map<string, string>();
  const pathOf = (indexUid: string) => {
    let p = paths.get(indexUid);
    if (!p) {
      p = `${basePath}indexes/${encodeURIComponent(indexUid)}/search`;
      paths.set(indexUid, p);
    }
    return p;
  };
  const hostname = base.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = base.port ? Number(base.port) : secure ? 443 : 80;

  return {
    search<T extends Record<string, unknown>>(indexUid: string, params: SearchParams & { q: string }): Promise<SearchResponse<T>> {
      const path = pathOf(indexUid);
      const href = () => `${base.origin}${path}`;
      const body = JSON.stringify(params);
      return new Promise((resolve, reject) => {
        let settled = false;
        const finish = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fn();
        };
        const req = request(
          { hostname, port, path, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', (err) => finish(() => reject(new MeilisearchRequestError(href(), err))));
            res.on('end', () =>
              finish(() => {
                const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
                const status = res.statusCode ?? 0;
                let parsed: unknown;
                try {
                  parsed = text ? JSON.parse(text) : undefined;
                } catch (err) {
                  return reject(new MeilisearchRequestError(href(), err));
                }
                if (status >= 200 && status < 300) return resolve(parsed as SearchResponse<T>);
                reject(
                  new MeilisearchApiError(new Response(null, { status }), parsed as ConstructorParameters<typeof MeilisearchApiError>[1]),
                );
              }),
            );
          },
        );
        // Idle keep-alive sockets must not keep a process (or a test) alive.
        req.on('socket', (s) => s.unref());
        req.on('error', (err) => finish(() => reject(new MeilisearchRequestError(href(), err))));
        const timer = setTimeout(() => {
          finish(() => reject(new MeilisearchRequestTimeOutError(opts.timeoutMs, { method: 'POST' })));
          req.destroy();
        }, opts.timeoutMs);
        req.end(body);
      });
    },
  };
}
