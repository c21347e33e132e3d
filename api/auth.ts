/**
 * API-key auth. Keys come from API_KEYS (`role:key,…`), are kept only as SHA-256 digests, and a
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
  digest: Buffer;
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
    const role = RoleSchema.safeParse(part.slice(0, idx));
    if (!role.success) throw new Error(`API_KEYS: unknown role "${part.slice(0, idx)}" (roles: ${ROLES.join(', ')})`);
    const key = part.slice(idx + 1);
    if (key.length < 8) throw new Error(`API_KEYS: the ${role.data} key is shorter than 8 characters`);
    entries.push({ role: role.data, digest: digest(key) });
  }
  return entries;
}

export class ApiKeyAuthenticator {
  constructor(private readonly entries: KeyEntry[]) {}

  /** The role of a presented key, or undefined. Constant time in the key's content. */
  roleOf(presented: string): Role | undefined {
    const d = digest(presented);
    let found: Role | undefined;
    for (const e of this.entries) {
      if (timingSafeEqual(d, e.digest) && found === undefined) found = e.role;
    }
    return found;
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
