/**
 * `npm run token:dev -- <customerId> [hours]`: prints a customer token (X-Customer-Token) signed
 * with CUSTOMER_TOKEN_SECRET, or the development default. In production a shop's sign-in mints
 * these; this is for curl, Postman and the example program against the local stack.
 */
import { SignJWT } from 'jose';

export const DEV_CUSTOMER_TOKEN_SECRET = 'dev-customer-token-secret';

export async function mintCustomerToken(customerId: string, opts: { secret?: string; hours?: number } = {}): Promise<string> {
  const secret = new TextEncoder().encode(opts.secret ?? process.env.CUSTOMER_TOKEN_SECRET ?? DEV_CUSTOMER_TOKEN_SECRET);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setIssuedAt()
    .setExpirationTime(`${opts.hours ?? 1}h`)
    .sign(secret);
}

if (require.main === module) {
  const [customerId, hours] = process.argv.slice(2);
  if (!customerId) {
    process.stderr.write('usage: npm run token:dev -- <customerId> [hours ≤ 24]\n');
    process.exit(2);
  }
  mintCustomerToken(customerId, { hours: hours ? Number(hours) : 1 }).then((t) => process.stdout.write(`${t}\n`));
}
