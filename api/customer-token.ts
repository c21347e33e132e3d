/**
 * Customer tokens (contract v1.1 "Customers"). The storefront key lives in the shop's server; the
 * customer's identity comes with each customer-scoped call as `X-Customer-Token`, a JWT the shop's
 * sign-in signs with CUSTOMER_TOKEN_SECRET. Verified with `jose`, HS256 only: the algorithm is
 * this verifier's, never the token's (`none`, RS256-with-the-secret-as-public-key and the like
 * are refused). `exp` is required and may lie at most 24 h ahead, so a leaked token dies within a
 * day; `sub` is the customer id.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../domain/errors';
import { CustomerIdSchema } from '../domain/schemas/orders';

export const CUSTOMER_TOKEN_HEADER = 'x-customer-token';
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
/** Clock skew allowed between the shop's sign-in and this API (exp, iat, the 24 h bound). */
const CLOCK_TOLERANCE_SECONDS = 30;

/** The customer a storefront call acts for. */
export interface CustomerIdentity {
  customerId: string;
}

const unauthenticated = (detail: string, cause?: unknown) => new AppError('unauthenticated', detail, cause === undefined ? {} : { cause });

export class CustomerTokenVerifier {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  /** The customer of a presented token; 401 `unauthenticated` for anything but a valid one. */
  async verify(token: string | string[] | undefined, now = new Date()): Promise<CustomerIdentity> {
    if (typeof token !== 'string' || !token) throw unauthenticated(`Send the customer's token as "X-Customer-Token: <JWT>"`);
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token.trim(), this.key, {
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      }));
    } catch (err) {
      const why = err instanceof errors.JWTExpired ? 'expired' : 'invalid';
      throw unauthenticated(`The customer token is ${why}`, err);
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if ((payload.exp ?? 0) > nowSeconds + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
      throw unauthenticated('The customer token expires more than 24 h from now');
    }
    const sub = CustomerIdSchema.safeParse(payload.sub);
    if (!sub.success) throw unauthenticated('The customer token has no valid customer id (sub)');
    return { customerId: sub.data };
  }
}

/**
 * Issues a token the way the shop's sign-in should (tests, benchmarks, docs examples): HS256,
 * `sub` = customer id, `iat` now, `exp` in `ttlSeconds` (at most 24 h).
 */
export function signCustomerToken(secret: string, customerId: string, ttlSeconds = 3600): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + Math.min(ttlSeconds, MAX_TOKEN_LIFETIME_SECONDS))
    .sign(new TextEncoder().encode(secret));
}
