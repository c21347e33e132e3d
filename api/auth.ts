/**
 * API-key auth. Keys come from API_KEYS (`role:key,…`, or `role/name:key` to give a key a name
 * that shows in audit notes, e.g. `support/alice:…`), are kept only as SHA-256 digests, and a
 * presented key is compared against every digest with `timingSafeEqual` (no early exit), so
 * timing reveals neither which key nor how much of it matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../domain/errors';

export const ROLES = ['storefront', 'support', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const RoleSchema = z.enum(ROLES);

export interface KeyEntry {
  role: Role;
  /** Who holds the key, for audit notes: the configured name, or a short digest prefix (never the key). */
  name: string;
  digest: Buffer;
}

/** The identity a key stands for: its role and its (non-secret) name. */
export interface KeyIdentity {
  role: Role;
  name: string;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function parseApiKeys(spec: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new Error('API_KEYS entries must look like role:key');
    const [rolePart = '', ...nameParts] = part.slice(0, idx).split('/');
    const role = RoleSchema.safeParse(rolePart);
    if (!role.success) throw new Error(`API_KEYS: unknown role "${rolePart}" (roles: ${ROLES.join(', ')})`);
    const key = part.slice(idx + 1);
    if (key.length < 8) throw new Error(`API_KEYS: the ${role.data} key is shorter than 8 characters`);
    const d = digest(key);
    const name = nameParts.join('/').trim() || `key-${d.toString('hex').slice(0, 8)}`;
    entries.push({ role: role.data, name, digest: d });
  }
  return entries;
}

export class ApiKeyAuthenticator {
  constructor(private readonly entries: KeyEntry[]) {}

  /** The role of a presented key, or undefined. Constant time in the key's content. */
  roleOf(presented: string): Role | undefined {
    return this.identify(presented)?.role;
  }

  /** The role and name of a presented key, or undefined. Constant time in the key's content. */
  identify(presented: string): KeyIdentity | undefined {
    const d = digest(presented);
    let found: KeyIdentity | undefined;
    for (const e of this.entries) {
      if (timingSafeEqual(d, e.digest) && found === undefined) found = { role: e.role, name: e.name };
    }
    return found;
  }

  /** The bearer key of an Authorization header, or undefined. */
  static bearer(header: string | undefined): string | undefined {
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return m?.[1] || undefined;
  }

  /** Throws 401/403 unless the Authorization header carries a key with one of `allowed` roles (admin always passes). */
  authorize(header: string | undefined, allowed: readonly Role[]): Role {
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m?.[1]) throw new AppError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>"');
    const role = this.roleOf(m[1]);
    if (!role) throw new AppError('unauthenticated', 'Unknown API key');
    if (role !== 'admin' && !allowed.includes(role)) {
      throw new AppError('forbidden', `This operation needs the ${allowed.join(' or ')} role`);
    }
    return role;
  }
}
