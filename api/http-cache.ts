/**
 * Conditional GET for responses the API serves pre-serialized (product detail, store config):
 * strong ETag and Cache-Control on every answer, 304 when If-None-Match matches.
 */
import type { Request, Response } from 'express';

/** Storefronts and CDNs may keep a copy but must revalidate (a cheap 304): stock moves fast. */
export const REVALIDATE = 'public, max-age=0, must-revalidate';

/** RFC 9110 If-None-Match: `*`, or a list of (possibly weak) tags compared weakly. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const t = part.trim();
    if ((t.startsWith('W/') ? t.slice(2) : t) === bare) return true;
  }
  return false;
}

/** Sends a serialized JSON body with its ETag, or 304 when the client already has it. */
export function sendCachedJson(req: Request, res: Response, r: { etag: string; body: Buffer | string }, cacheControl = REVALIDATE): void {
  res.setHeader('ETag', r.etag);
  res.setHeader('Cache-Control', cacheControl);
  if (etagMatches(req.headers['if-none-match'], r.etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(r.body);
}
