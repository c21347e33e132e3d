/**
 * Console sessions: an API key exchanged for a random session id kept in an httpOnly, SameSite=Strict
 * cookie (Secure when the request came over https, directly or via a trusted proxy). Redis holds the
 * session under a digest of the id, with the API key encrypted by a key derived from the id: a
 * Redis dump alone reveals neither a usable cookie nor an API key. Sessions end after 8 hours
 * (absolute, not sliding) or at sign-out. Each session has its own CSRF token.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';

export const SESSION_COOKIE = 'cathay_console';
/** Pre-session CSRF token for the sign-in form (double submit: cookie and form field). */
export const SIGN_IN_COOKIE = 'cathay_console_signin';
export const SESSION_TTL_SECONDS = 8 * 60 * 60;
const COOKIE_PATH = '/console';

export type ConsoleRole = 'support' | 'ops' | 'admin';

export interface Session {
  role: ConsoleRole;
  /** The key's name (from the API's whoami), shown and written into audit notes. */
  name: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
  /** The API key, decrypted; only ever sent to the API, never to the browser. */
  apiKey: string;
}

interface StoredSession extends Omit<Session, 'apiKey'> {
  /** AES-256-GCM of the API key: iv.tag.ciphertext, base64url. */
  key: string;
}

const storeKey = (id: string) => `console:session:${createHash('sha256').update(id).digest('hex')}`;
const encKey = (id: string) => createHash('sha256').update(`console-session-key:${id}`).digest();

function encrypt(id: string, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', encKey(id), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

function decrypt(id: string, sealed: string): string | undefined {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', encKey(id), iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(body), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** One cookie's value from the Cookie header (the console sets only simple base64url values). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

export function cookieOptions(req: Request, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    // req.secure honours X-Forwarded-Proto when the app trusts its proxy (TRUST_PROXY).
    secure: req.secure,
    path: COOKIE_PATH,
    maxAge: maxAgeSeconds * 1000,
  };
}

export function clearCookie(req: Request, res: Response, name: string): void {
  const { maxAge: _unused, ...opts } = cookieOptions(req, 0);
  res.clearCookie(name, opts);
}

export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = SESSION_TTL_SECONDS,
  ) {}

  /** Creates a session and returns its id (the cookie value). */
  async create(identity: { role: ConsoleRole; name: string; apiKey: string }): Promise<{ id: string; session: Session }> {
    const id = randomToken();
    const now = Date.now();
    const session: Session = {
      role: identity.role,
      name: identity.name,
      csrf: randomToken(),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlSeconds * 1000).toISOString(),
      apiKey: identity.apiKey,
    };
    const { apiKey, ...rest } = session;
    const stored: StoredSession = { ...rest, key: encrypt(id, apiKey) };
    await this.redis.set(storeKey(id), JSON.stringify(stored), 'EX', this.ttlSeconds);
    return { id, session };
  }

  async get(id: string): Promise<Session | undefined> {
    const json = await this.redis.get(storeKey(id));
    if (!json) return undefined;
    const stored = JSON.parse(json) as StoredSession;
    if (Date.parse(stored.expiresAt) <= Date.now()) return undefined;
    const apiKey = decrypt(id, stored.key);
    if (!apiKey) return undefined;
    const { key: _sealed, ...rest } = stored;
    return { ...rest, apiKey };
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(storeKey(id));
  }
}
