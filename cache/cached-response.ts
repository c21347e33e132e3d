/**
 * A response kept in Redis ready to send: strong ETag and JSON bytes in one value
 * (`<etag>\n<json>`), so a cache hit is one round trip, no JSON work and no string re-encoding
 * (the body goes to the socket as the Buffer Redis returned). A lone `\n` means "not found".
 */
import { createHash } from 'node:crypto';

export interface CachedResponse {
  etag: string;
  body: Buffer;
}

const NEWLINE = 0x0a;

/** Strong ETag of a serialized body (same bytes ⇔ same tag, across processes). */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function encodeResponse(json: string | undefined): Buffer {
  if (json === undefined) return Buffer.from('\n');
  return Buffer.from(`${strongEtag(json)}\n${json}`, 'utf8');
}

export function decodeResponse(entry: Buffer): CachedResponse | undefined {
  const nl = entry.indexOf(NEWLINE);
  if (nl <= 0) return undefined;
  return { etag: entry.toString('latin1', 0, nl), body: entry.subarray(nl + 1) };
}
