import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ALL_SECRETS, DEV_API_KEYS, DEV_CUSTOMER_TOKEN_SECRET, DEV_ORDER_ID_SECRET, loadConfig } from '../../config';

test('defaults match SANDBOX.md ports and dev keys', () => {
  const c = loadConfig({});
  expect(c.PORT).toBe(3000);
  expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
  expect(c.TEMPORAL_UI_URL).toBe('http://127.0.0.1:8233');
  expect(c.MEILI_URL).toBe('http://127.0.0.1:7700');
  expect(c.PAYMENT_URL).toBe('http://127.0.0.1:4010');
  expect(c.CARRIER_URL).toBe('http://127.0.0.1:4020');
  expect([c.SMTP_HOST, c.SMTP_PORT, c.SANDBOX_MAIL_HTTP_PORT]).toEqual(['127.0.0.1', 2525, 4030]);
  expect(c.API_KEYS).toBe('storefront:dev-storefront-key,support:dev-support-key,ops:dev-ops-key,admin:dev-admin-key');
  expect(c.CARRIER_WEBHOOK_SECRET).toBe('dev-webhook-secret');
  expect(c.CUSTOMER_TOKEN_SECRET).toBe('dev-customer-token-secret');
  expect(c.CARRIER_WEBHOOK_SECRETS).toEqual({});
});

test('a bad environment fails with every offending variable named', () => {
  expect(() => loadConfig({ PORT: 'eighty', MEILI_URL: 'not a url' })).toThrow(/PORT[\s\S]*MEILI_URL|MEILI_URL[\s\S]*PORT/);
});

describe('production refuses missing, short and dev secrets (contract v1.1)', () => {
  const strong = (tag: string) => `${tag}-${'x'.repeat(40)}`;
  const good = {
    NODE_ENV: 'production',
    API_KEYS: `storefront:${strong('sf')},support:${strong('su')},ops:${strong('op')},admin:${strong('ad')}`,
    CUSTOMER_TOKEN_SECRET: strong('ct'),
    ORDER_ID_SECRET: strong('oid'),
    CARRIER_WEBHOOK_SECRETS: `swiftship:${strong('sw')},parcelpro:${strong('pp')}`,
  };
  const load = (env: Record<string, string | undefined>) => () => loadConfig(env, { secrets: ALL_SECRETS });

  test('nothing set: every secret is named', () => {
    expect(load({ NODE_ENV: 'production' })).toThrow(
      /API_KEYS is missing[\s\S]*CUSTOMER_TOKEN_SECRET is missing[\s\S]*ORDER_ID_SECRET is missing[\s\S]*\(swiftship\) is missing[\s\S]*\(parcelpro\) is missing/,
    );
  });

  test('strong secrets start', () => {
    expect(load(good)()).toMatchObject({ NODE_ENV: 'production', CUSTOMER_TOKEN_SECRET: good.CUSTOMER_TOKEN_SECRET });
  });

  test.each([
    ['API_KEYS', DEV_API_KEYS, /admin key\) is a development default/],
    ['API_KEYS', `storefront:${strong('sf')},admin:dev-admin-key`, /admin key\) is a development default/],
    ['API_KEYS', `storefront:${strong('sf')},ops:short-ops-key-123`, /ops key\) is shorter than 32/],
    ['CUSTOMER_TOKEN_SECRET', DEV_CUSTOMER_TOKEN_SECRET, /CUSTOMER_TOKEN_SECRET is a development default/],
    ['CUSTOMER_TOKEN_SECRET', 'sixteen-chars-ok-but-short', /CUSTOMER_TOKEN_SECRET is shorter than 32/],
    ['CUSTOMER_TOKEN_SECRET', undefined, /CUSTOMER_TOKEN_SECRET is missing/],
    ['ORDER_ID_SECRET', DEV_ORDER_ID_SECRET, /ORDER_ID_SECRET is a development default/],
    ['CARRIER_WEBHOOK_SECRETS', `swiftship:${strong('sw')}`, /\(parcelpro\) is missing/],
    ['CARRIER_WEBHOOK_SECRETS', `swiftship:${strong('sw')},parcelpro:dev-webhook-secret`, /\(parcelpro\) is a development default/],
    ['CARRIER_WEBHOOK_SECRETS', `swiftship:${strong('sw')},parcelpro:tooshort-secret`, /\(parcelpro\) is shorter than 32/],
  ])('%s = %s → refused', (name, value, message) => {
    expect(load({ ...good, [name]: value })).toThrow(message);
  });

  test('a strong CARRIER_WEBHOOK_SECRET alone is not enough: each carrier needs its own entry', () => {
    expect(load({ ...good, CARRIER_WEBHOOK_SECRETS: undefined, CARRIER_WEBHOOK_SECRET: strong('one') })).toThrow(
      /\(swiftship\) is missing/,
    );
  });

  test('development and test keep the dev defaults; processes without secrets (migrate, worker) are not checked', () => {
    expect(loadConfig({ NODE_ENV: 'development' }, { secrets: ALL_SECRETS }).CUSTOMER_TOKEN_SECRET).toBe(DEV_CUSTOMER_TOKEN_SECRET);
    expect(loadConfig({ NODE_ENV: 'test' }, { secrets: ALL_SECRETS }).ORDER_ID_SECRET).toBe(DEV_ORDER_ID_SECRET);
    expect(loadConfig({ NODE_ENV: 'production' }).NODE_ENV).toBe('production');
  });

  test('the API entry point refuses to start with NODE_ENV=production and no secrets', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: path.join(__dirname, '..', '..'),
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '1', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Refusing to start with NODE_ENV=production[\s\S]*API_KEYS is missing/);
  }, 35_000);
});
