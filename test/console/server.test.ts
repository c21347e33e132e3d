/**
 * The console's server side without a browser, and the API endpoints it added: who a key is
 * (GET /v1/auth/whoami, names from `role/name:key`), the search sync status, the sign-in exchange
 * (pre-session CSRF, storefront refused, cookie flags, Secure behind an https proxy), and what
 * Redis holds for a session (never the API key in clear).
 */
import { ApiKeyAuthenticator, parseApiKeys } from '../../api/auth';
import { escapeHtml, html, raw } from '../../console/html';
import { receiveItems } from '../../console/pages/returns';
import { authHeader, DEV_KEYS, startTestApi, type TestApi } from '../support/app';
import { getJson } from '../support/http';

let api: TestApi;

const NAMED_KEY = 'named-support-key-0001';

beforeAll(async () => {
  api = await startTestApi({
    API_KEYS: `storefront:${DEV_KEYS.storefront},support:${DEV_KEYS.support},support/alice:${NAMED_KEY},ops:${DEV_KEYS.ops},admin:${DEV_KEYS.admin}`,
    TRUST_PROXY: 'true',
  });
});
afterAll(() => api?.close());

describe('html templates', () => {
  test('interpolations are escaped; Html values and arrays are not re-escaped; nullish and false render nothing', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}${raw('<br>')}`.value).toBe('0<br>');
    expect(escapeHtml('"')).toBe('&quot;');
  });
});

describe('key names', () => {
  test('role/name:key names a key; an unnamed key is named by a digest prefix, never by the key', () => {
    const auth = new ApiKeyAuthenticator(parseApiKeys('support/alice:abcdefgh12,ops:opsopsops1'));
    expect(auth.identify('abcdefgh12')).toEqual({ role: 'support', name: 'alice' });
    const ops = auth.identify('opsopsops1');
    expect(ops?.role).toBe('ops');
    expect(ops?.name).toMatch(/^key-[0-9a-f]{8}$/);
    expect(ops?.name).not.toContain('opsops');
    expect(auth.identify('nope-nope-nope')).toBeUndefined();
    expect(auth.roleOf('abcdefgh12')).toBe('support');
    expect(() => parseApiKeys('wizard/bob:abcdefgh12')).toThrow(/unknown role "wizard"/);
  });

  test('GET /v1/auth/whoami answers role and name for every role; no key is 401', async () => {
    for (const role of ['storefront', 'support', 'ops', 'admin'] as const) {
      const r = await getJson(`${api.url}/v1/auth/whoami`, { headers: authHeader(role) });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ role, name: expect.stringMatching(/^key-[0-9a-f]{8}$/) });
    }
    const named = await getJson(`${api.url}/v1/auth/whoami`, { headers: { authorization: `Bearer ${NAMED_KEY}` } });
    expect(named.body).toEqual({ role: 'support', name: 'alice' });
    expect((await getJson(`${api.url}/v1/auth/whoami`)).status).toBe(401);
  });
});

test('GET /v1/admin/search/sync: backlog from Postgres, the workflow report or null; ops only; documented', async () => {
  const r = await getJson(`${api.url}/v1/admin/search/sync`, { headers: authHeader('ops') });
  expect(r.status).toBe(200);
  expect(r.body.backlog).toEqual({
    pending: expect.any(Number),
    oldestAt: r.body.backlog.pending ? expect.any(String) : null,
    lagSeconds: expect.any(Number),
  });
  // No sync worker runs for this file's task queues: the workflow does not answer.
  expect(r.body.workflow).toBeNull();
  expect((await getJson(`${api.url}/v1/admin/search/sync`, { headers: authHeader('support') })).status).toBe(403);
  const doc = (await getJson(`${api.url}/openapi.json`)).body;
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/auth/whoami', '/v1/admin/search/sync']));
  expect(doc.components.schemas.OrderSummary.properties.failure).toBeDefined();
});

/** The sign-in form's pre-session token and cookie, as a browser would hold them. */
async function signInForm(headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/console/sign-in`, { headers });
  const body = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('cathay_console_signin=')) ?? '').split(';')[0] ?? '';
  return { token, cookie, setCookie: res.headers.getSetCookie() };
}

async function postSignIn(key: string, opts: { token?: string; cookie?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${api.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    body: new URLSearchParams({ apiKey: key, ...(opts.token ? { _csrf: opts.token } : {}) }).toString(),
  });
}

describe('console sign-in', () => {
  test('without the form token: 403 and no session', async () => {
    const r = await postSignIn(DEV_KEYS.support);
    expect(r.status).toBe(403);
    expect(r.headers.getSetCookie().some((c) => c.startsWith('cathay_console='))).toBe(false);
  });

  test('a storefront key is refused (403); an unknown key 401; no session either way', async () => {
    for (const [key, status] of [
      [DEV_KEYS.storefront, 403],
      ['unknown-key-123456', 401],
    ] as const) {
      const { token, cookie } = await signInForm();
      const r = await postSignIn(key, { token, cookie });
      expect(r.status).toBe(status);
      expect(r.headers.getSetCookie().some((c) => c.startsWith('cathay_console='))).toBe(false);
    }
  });

  test('a support key gets an httpOnly SameSite=Strict 8 h cookie; Redis holds no key in clear; pages need the cookie', async () => {
    const { token, cookie } = await signInForm();
    const r = await postSignIn(NAMED_KEY, { token, cookie });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/console');
    const session = r.headers.getSetCookie().find((c) => c.startsWith('cathay_console='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Max-Age=28800/);
    expect(session).toMatch(/Path=\/console/);
    expect(session).not.toMatch(/Secure/);
    const sessionCookie = (session ?? '').split(';')[0] ?? '';

    // KEYS is not prefixed by ioredis (get is): match with the prefix, strip it to read.
    const prefix = api.deps.config.REDIS_KEY_PREFIX;
    const stored = await api.deps.redis.keys(`${prefix}console:session:*`);
    const values = await Promise.all(stored.map((k) => api.deps.redis.get(k.slice(prefix.length))));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) {
      expect(v).not.toContain(NAMED_KEY);
      expect(v).not.toContain(sessionCookie.split('=')[1]);
    }

    const page = await fetch(`${api.url}/console`, { headers: { cookie: sessionCookie } });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('support (alice)');
    expect(body).not.toContain(NAMED_KEY);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    expect(body).not.toMatch(/\sstyle=/); // no inline style

    const anonymous = await fetch(`${api.url}/console`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/console/sign-in');
  });

  test('behind an https proxy (X-Forwarded-Proto, TRUST_PROXY) the cookie is Secure', async () => {
    const headers = { 'x-forwarded-proto': 'https' };
    const { token, cookie, setCookie } = await signInForm(headers);
    expect(setCookie.join()).toMatch(/Secure/);
    const r = await postSignIn(DEV_KEYS.ops, { token, cookie, headers });
    expect(r.headers.getSetCookie().find((c) => c.startsWith('cathay_console='))).toMatch(/Secure/);
  });

  test('assets: htmx from node_modules, the console CSS and JS, cacheable', async () => {
    for (const [file, type] of [
      ['htmx.min.js', /javascript/],
      ['console.js', /javascript/],
      ['console.css', /css/],
    ] as const) {
      const r = await fetch(`${api.url}/console/assets/${file}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(type);
      expect(r.headers.get('cache-control')).toMatch(/max-age=3600/);
    }
    const traversal = await fetch(`${api.url}/console/assets/%2e%2e%2frouter.ts`, { redirect: 'manual' });
    expect(traversal.status).not.toBe(200);
    expect(await traversal.text()).not.toContain('createConsole');
  });
});

describe('console returns', () => {
  test('the receive form becomes the API body: one line per sku and condition, zeros and blanks dropped, bad numbers refused', () => {
    expect(
      receiveItems({ _csrf: 't', 'qty:A-1:resellable': '2', 'qty:A-1:damaged': '1', 'qty:B-2:resellable': '0', 'qty:B-2:damaged': '' }),
    ).toEqual({
      items: [
        { sku: 'A-1', quantity: 2, condition: 'resellable' },
        { sku: 'A-1', quantity: 1, condition: 'damaged' },
      ],
      bad: [],
    });
    expect(receiveItems({ 'qty:A-1:resellable': '1.5', 'qty:A-1:damaged': '-1', 'qty:A-1:lost': '3' }).bad).toEqual([
      'A-1 resellable: 1.5',
      'A-1 damaged: -1',
    ]);
  });

  async function sessionFor(key: string): Promise<string> {
    const { token, cookie } = await signInForm();
    const r = await postSignIn(key, { token, cookie });
    return (r.headers.getSetCookie().find((c) => c.startsWith('cathay_console=')) ?? '').split(';')[0] ?? '';
  }

  test('the Returns page: nav link for support and ops, its own CSP-clean markup; a POST without the token is 403; an unknown return 404', async () => {
    for (const key of [DEV_KEYS.support, DEV_KEYS.ops, DEV_KEYS.admin]) {
      const cookie = await sessionFor(key);
      const res = await fetch(`${api.url}/console/returns?status=failed`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('<h1>Returns</h1>');
      expect(body).toContain('<a href="/console/returns" aria-current="page">Returns</a>');
      expect(body).toContain('<option value="failed" selected>');
      expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(body).not.toMatch(/\sstyle=/);
    }
    const cookie = await sessionFor(DEV_KEYS.support);
    const forged = await fetch(`${api.url}/console/returns/ret_missing/approve`, { method: 'POST', headers: { cookie } });
    expect(forged.status).toBe(403);
    const missing = await fetch(`${api.url}/console/returns/ret_missing`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No such return');
  });
});
