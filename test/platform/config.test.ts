import { loadConfig } from '../../config';

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
});

test('a bad environment fails with every offending variable named', () => {
  expect(() => loadConfig({ PORT: 'eighty', MEILI_URL: 'not a url' })).toThrow(/PORT[\s\S]*MEILI_URL|MEILI_URL[\s\S]*PORT/);
});
