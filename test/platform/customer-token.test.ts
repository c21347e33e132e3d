/**
 * X-Customer-Token (contract v1.1 "Customers"): HS256 with CUSTOMER_TOKEN_SECRET only; sub and exp
 * required, exp at most 24 h ahead; every other token is 401 unauthenticated.
 */
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { CustomerTokenVerifier, signCustomerToken } from '../../api/customer-token';

const SECRET = 'a-customer-token-secret-of-enough-length';
const verifier = new CustomerTokenVerifier(SECRET);
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

const rejected = (token: string | undefined) =>
  expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });

test("a token of the shop's sign-in gives its customer", async () => {
  await expect(verifier.verify(await signCustomerToken(SECRET, 'cust-42'))).resolves.toEqual({ customerId: 'cust-42' });
  // iat is optional.
  const noIat = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('c1')
    .setExpirationTime(now() + 60)
    .sign(key);
  await expect(verifier.verify(noIat)).resolves.toEqual({ customerId: 'c1' });
});

test('missing, malformed, badly signed, expired → 401', async () => {
  await rejected(undefined);
  await rejected('');
  await rejected('not-a-jwt');
  await rejected('a.b.c');
  await rejected(await signCustomerToken('another-secret-entirely-of-length', 'c1'));
  const good = await signCustomerToken(SECRET, 'c1');
  await rejected(`${good.slice(0, -2)}AA`);
  await rejected(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('c1')
      .setExpirationTime(now() - 120)
      .sign(key),
  );
});

test('exp required and at most 24 h ahead; sub required and a customer id', async () => {
  await rejected(await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('c1').sign(key));
  await rejected(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('c1')
      .setExpirationTime(now() + 25 * 3600)
      .sign(key),
  );
  await rejected(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now() + 60)
      .sign(key),
  );
  await rejected(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bad id!')
      .setExpirationTime(now() + 60)
      .sign(key),
  );
  const day = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('c1')
    .setExpirationTime(now() + 24 * 3600)
    .sign(key);
  await expect(verifier.verify(day)).resolves.toEqual({ customerId: 'c1' });
});

test('other algorithms are refused: none, HS512 with the same secret, RS256', async () => {
  await rejected(
    new UnsecuredJWT({})
      .setSubject('c1')
      .setExpirationTime(now() + 60)
      .encode(),
  );
  await rejected(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('c1')
      .setExpirationTime(now() + 60)
      .sign(new TextEncoder().encode(SECRET.repeat(2))),
  );
  const { privateKey } = await generateKeyPair('RS256');
  await rejected(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('c1')
      .setExpirationTime(now() + 60)
      .sign(privateKey),
  );
  // A hand-made `alg: none` token with the right claims and no signature.
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  await rejected(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'c1', exp: now() + 60 })}.`);
});
