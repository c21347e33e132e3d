/**
 * Payload encryption (issue 12 #11): the codec (AES-256-GCM, key id per payload, rotation, plain
 * pass-through), an order's raw history without its payment token, address or email in clear, and
 * the ops-only codec endpoint that gives them back.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { codecCorsOrigins } from '../../api/codec-endpoint';
import { createDb, type Db } from '../../db/connection';
import { orderWorkflowId } from '../../domain/orders/identity';
import { devUiCodecEndpoint, temporalDevServerArgs } from '../../stack/temporal-server';
import {
  AesGcmPayloadCodec,
  DEV_PAYLOAD_CODEC_KEYS,
  ENCRYPTED_ENCODING,
  parseCodecKeys,
  payloadCodecFromConfig,
} from '../../temporal/payload-codec';
import { authHeader, startTestApi } from '../support/app';
import { createProduct } from '../support/fixtures';
import { getJson } from '../support/http';
import { type OrderStack, orderBody, placeOrder, startOrderStack } from '../support/orders';

const key = () => randomBytes(32).toString('base64');
const json = (value: unknown): Payload => ({
  metadata: { encoding: new TextEncoder().encode('json/plain') },
  data: new TextEncoder().encode(JSON.stringify(value)),
});
const utf8 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');

describe('the codec', () => {
  test('encrypts the whole payload under the active key id; decodes it back exactly', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(`k1:${key()}`), 'k1');
    const original = json({ token: 'tok_visa', line1: '12 St James Square' });
    const [encoded] = await codec.encode([original]);
    expect(utf8(encoded?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encoded?.metadata?.['encryption-key-id'])).toBe('k1');
    expect(utf8(encoded?.data)).not.toContain('tok_visa');
    expect(utf8(encoded?.data)).not.toContain('json/plain');
    const [decoded] = await codec.decode([encoded as Payload]);
    expect(utf8(decoded?.data)).toBe(utf8(original.data));
    expect(utf8(decoded?.metadata?.encoding)).toBe('json/plain');
    // a fresh IV each time: the same payload never encrypts to the same bytes
    const [again] = await codec.encode([original]);
    expect(Buffer.from(again?.data ?? []).equals(Buffer.from(encoded?.data ?? []))).toBe(false);
  });

  test('IVs never repeat, across the pool refills (10,000 payloads in batches) and across codecs', async () => {
    const keys = parseCodecKeys(`k1:${key()}`);
    const a = new AesGcmPayloadCodec(keys, 'k1');
    const b = new AesGcmPayloadCodec(keys, 'k1');
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) {
      for (const codec of [a, b]) {
        const out = await codec.encode(Array.from({ length: 100 }, (_, n) => json({ n })));
        for (const p of out)
          ivs.add(
            Buffer.from(p.data ?? [])
              .subarray(0, 12)
              .toString('hex'),
          );
      }
    }
    expect(ivs.size).toBe(10_000);
  });

  test('plain payloads (histories from before encryption) pass through unchanged', async () => {
    const codec = payloadCodecFromConfig({ NODE_ENV: 'test', PAYLOAD_CODEC_KEYS: undefined, PAYLOAD_CODEC_ACTIVE_KEY: undefined });
    const plain = json({ hello: 'world' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  test('rotation: a new active key encrypts; payloads under the old key decode while it is listed, and only then', async () => {
    const oldKey = key();
    const newKey = key();
    const before = new AesGcmPayloadCodec(parseCodecKeys(`old:${oldKey}`), 'old');
    const [underOld] = await before.encode([json({ n: 1 })]);
    const rotated = new AesGcmPayloadCodec(parseCodecKeys(`new:${newKey},old:${oldKey}`), 'new');
    expect(utf8((await rotated.decode([underOld as Payload]))[0]?.data)).toBe('{"n":1}');
    const [underNew] = await rotated.encode([json({ n: 2 })]);
    expect(utf8(underNew?.metadata?.['encryption-key-id'])).toBe('new');
    const retired = new AesGcmPayloadCodec(parseCodecKeys(`new:${newKey}`), 'new');
    await expect(retired.decode([underOld as Payload])).rejects.toThrow(/unknown key "old"/);
  });

  test('a tampered payload or a swapped key id fails authentication', async () => {
    const k = key();
    const codec = new AesGcmPayloadCodec(parseCodecKeys(`a:${k},b:${k}`), 'a');
    const [p] = (await codec.encode([json({ amount: 100 })])) as [Payload];
    const flipped = Buffer.from(p.data ?? []);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...p, data: flipped }])).rejects.toThrow();
    // the key id is authenticated data: relabelling a payload with another id (same bytes) fails
    await expect(
      codec.decode([{ ...p, metadata: { ...p.metadata, 'encryption-key-id': new TextEncoder().encode('b') } }]),
    ).rejects.toThrow();
  });

  test('configuration: keys of 32 bytes, the dev key only outside production', () => {
    expect(() => parseCodecKeys(`short:${randomBytes(16).toString('base64')}`)).toThrow(/32/);
    expect(() => parseCodecKeys('nokey')).toThrow(/id:base64/);
    expect(() =>
      payloadCodecFromConfig({ NODE_ENV: 'production', PAYLOAD_CODEC_KEYS: undefined, PAYLOAD_CODEC_ACTIVE_KEY: undefined }),
    ).toThrow(/required in production/);
    expect(() =>
      payloadCodecFromConfig({ NODE_ENV: 'production', PAYLOAD_CODEC_KEYS: DEV_PAYLOAD_CODEC_KEYS, PAYLOAD_CODEC_ACTIVE_KEY: undefined }),
    ).toThrow(/development key/);
    expect(() =>
      payloadCodecFromConfig({ NODE_ENV: 'production', PAYLOAD_CODEC_KEYS: `p1:${key()}`, PAYLOAD_CODEC_ACTIVE_KEY: 'p2' }),
    ).toThrow(/active key "p2"/);
    expect(
      payloadCodecFromConfig({ NODE_ENV: 'production', PAYLOAD_CODEC_KEYS: `p1:${key()}`, PAYLOAD_CODEC_ACTIVE_KEY: undefined })
        .activeKeyId,
    ).toBe('p1');
  });

  test('CORS origins default to the Web UI origin and its localhost twin', () => {
    expect([...codecCorsOrigins({ TEMPORAL_UI_URL: 'http://127.0.0.1:8233', CODEC_CORS_ORIGINS: undefined })]).toEqual([
      'http://127.0.0.1:8233',
      'http://localhost:8233',
    ]);
    expect([...codecCorsOrigins({ TEMPORAL_UI_URL: 'http://x:1', CODEC_CORS_ORIGINS: 'https://ui.example.com' })]).toEqual([
      'https://ui.example.com',
    ]);
  });
});

describe('an order through the codec: history and endpoint', () => {
  let stack: OrderStack;
  let db: Db;
  beforeAll(async () => {
    db = createDb({ connectionString: process.env.DATABASE_URL ?? '', max: 2 });
    stack = await startOrderStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await db?.destroy();
  });

  test('the raw history holds no payment token, address or email; /codec/decode (ops key only) gives them back', async () => {
    const p = await createProduct(db, { stock: { 'wh-east': 5 } });
    const secretLine = `221B Baker Street ${randomBytes(4).toString('hex')}`;
    const body = orderBody([{ sku: p.sku, quantity: 1 }], {
      email: 'codec-test@example.com',
      shippingAddress: { name: 'Sherlock Holmes', line1: secretLine, city: 'London', postalCode: 'NW1 6XE', country: 'GB' },
      payment: { token: 'tok_visa' },
    });
    const placed = await placeOrder(stack.api, body);
    expect(placed.status).toBe(201);

    // The history as the server stores it, read by a client WITHOUT the codec.
    const connection = await Connection.connect({ address: stack.workers.config.TEMPORAL_ADDRESS });
    let raw: Buffer;
    let started: Payload[];
    try {
      const plain = new Client({ connection, namespace: stack.workers.config.TEMPORAL_NAMESPACE });
      const history = await plain.workflow.getHandle(orderWorkflowId(placed.body.id)).fetchHistory();
      raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      started = (history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []) as Payload[];
    } finally {
      await connection.close();
    }
    expect(raw.length).toBeGreaterThan(1000);
    for (const secret of ['tok_visa', secretLine, 'Sherlock Holmes', 'codec-test@example.com']) {
      expect(raw.includes(Buffer.from(secret))).toBe(false);
    }
    expect(raw.includes(Buffer.from(ENCRYPTED_ENCODING))).toBe(true);

    // The codec endpoint: Temporal's remote codec protocol, proto3 JSON (base64 bytes).
    const request = {
      payloads: started.map((s) => ({
        metadata: Object.fromEntries(
          Object.entries(s.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')]),
        ),
        data: Buffer.from(s.data ?? []).toString('base64'),
      })),
    };
    expect(request.payloads.length).toBeGreaterThan(0);
    const decode = (headers: Record<string, string>) =>
      getJson(`${stack.api.url}/codec/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
        body: JSON.stringify(request),
      });
    expect((await decode({})).status).toBe(401);
    expect((await decode(authHeader('storefront'))).status).toBe(403);
    const decoded = await decode(authHeader('ops'));
    expect(decoded.status).toBe(200);
    const clear = decoded.body.payloads.map((x: { data: string }) => Buffer.from(x.data, 'base64').toString('utf8')).join('\n');
    expect(clear).toContain('tok_visa');
    expect(clear).toContain(secretLine);
    expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');

    // …and /encode (also under a namespace segment) round-trips through /decode.
    const encoded = await getJson(`${stack.api.url}/codec/default/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeader('ops') },
      body: JSON.stringify({ payloads: decoded.body.payloads }),
    });
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    const back = await decode({ ...authHeader('ops') });
    expect(back.body).toEqual(decoded.body);
  });
});

describe('codec endpoint from the Web UI origin', () => {
  test('CORS preflight answers the UI origin; without a key only in development', async () => {
    const dev = await startTestApi({ NODE_ENV: 'development', TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
    const prod = await startTestApi({ TEMPORAL_UI_URL: 'http://127.0.0.1:8233' }); // NODE_ENV=test: key required
    try {
      const body = JSON.stringify({ payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'e30=' }] });
      const pre = await fetch(`${dev.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      expect(pre.headers.get('access-control-allow-headers')).toContain('x-namespace');
      const headers = { origin: 'http://127.0.0.1:8233', 'content-type': 'application/json' };
      const fromUi = await fetch(`${dev.url}/codec/decode`, { method: 'POST', headers, body });
      expect(fromUi.status).toBe(200);
      expect(fromUi.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
      const otherOrigin = await fetch(`${dev.url}/codec/decode`, {
        method: 'POST',
        headers: { ...headers, origin: 'https://evil.example' },
        body,
      });
      expect(otherOrigin.status).toBe(401);
      expect(otherOrigin.headers.get('access-control-allow-origin')).toBeNull();
      expect((await fetch(`${prod.url}/codec/decode`, { method: 'POST', headers, body })).status).toBe(401);
    } finally {
      await Promise.all([dev.close(), prod.close()]);
    }
  });
});

describe('npm run dev', () => {
  test('the Temporal dev server is started with the API codec endpoint for its Web UI', () => {
    const endpoint = devUiCodecEndpoint({ PUBLIC_URL: undefined, PORT: 3000 });
    expect(endpoint).toBe('http://127.0.0.1:3000/codec');
    expect(devUiCodecEndpoint({ PUBLIC_URL: 'https://shop.example.com/', PORT: 3000 })).toBe('https://shop.example.com/codec');
    const args = temporalDevServerArgs({ port: 7233, uiPort: 8233, dbFile: '/tmp/t.db', namespace: 'default', uiCodecEndpoint: endpoint });
    expect(args.slice(args.indexOf('--ui-codec-endpoint'), args.indexOf('--ui-codec-endpoint') + 2)).toEqual([
      '--ui-codec-endpoint',
      endpoint,
    ]);
  });
});
