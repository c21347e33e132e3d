/** .env.example documents every configuration variable, and parses with the real schema. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { configSchema, loadConfig } from '../../config';

const text = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');

test('every key of the config schema appears in .env.example (set or commented out)', () => {
  const mentioned = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  const missing = Object.keys(configSchema.shape).filter((k) => !mentioned.has(k));
  expect(missing).toEqual([]);
});

test('.env.example loads with the schema and equals the defaults', () => {
  const parsed = parseEnv(text) as Record<string, string>;
  expect(loadConfig(parsed)).toEqual(loadConfig({}));
});
