/**
 * Payload encryption for everything the engine hands Temporal (workflow inputs and results,
 * activity arguments, updates, signals, queries): AES-256-GCM, so the server's histories — and
 * the Web UI, and anyone with database access — hold no payment token or address in clear.
 *
 * Each encrypted payload is `{ metadata: { encoding: "binary/encrypted", "encryption-key-id": id },
 * data: iv(12) ‖ ciphertext ‖ tag(16) }` over the whole original Payload (its metadata included),
 * with the key id as additional authenticated data. Keys rotate: PAYLOAD_CODEC_ACTIVE_KEY
 * encrypts, every key in PAYLOAD_CODEC_KEYS decrypts, so old histories stay readable while the
 * old key is listed. A payload without the encrypted encoding passes through unchanged: the
 * histories recorded before encryption (test/histories/) and any workflow started before the
 * switch still decode and replay.
 *
 * The codec runs outside the workflow sandbox (the SDK applies codecs in the worker's main
 * thread), so node:crypto is fine here. Shape after Temporal's samples-typescript "encryption".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The development and test key: fixed, so dev histories stay readable across restarts. Never outside them. */
export const DEV_PAYLOAD_CODEC_KEYS = `dev:${createHash('sha256').update('cathay-dev-payload-codec-key').digest('base64')}`;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/**
 * Random IVs from a pool: one `randomFillSync` per 4096 payloads instead of one per payload (an
 * order's payloads cost a crypto call each; the per-call overhead, not the bytes, dominated). The
 * IVs are exactly as random — each is 12 fresh bytes of the CSPRNG, never handed out twice.
 */
class IvPool {
  private pool = Buffer.alloc(0);
  private next = 0;

  take(): Buffer {
    if (this.next + IV_BYTES > this.pool.length) {
      this.pool = randomBytes(IV_BYTES * 4096);
      this.next = 0;
    }
    const iv = this.pool.subarray(this.next, this.next + IV_BYTES);
    this.next += IV_BYTES;
    return iv;
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly ivs = new IvPool();
  private readonly active: Buffer;

  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    const active = keys.get(activeKeyId);
    if (!active) throw new Error(`payload codec: the active key "${activeKeyId}" is not among the keys`);
    this.active = active;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = this.ivs.take();
      const cipher = createCipheriv('aes-256-gcm', this.active, iv);
      cipher.setAAD(utf8(this.activeKeyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.activeKeyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload; // plain: pass through
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!keyId) throw new ValueError('encrypted payload without a key id');
      const key = this.keys.get(keyId);
      if (!key) throw new ValueError(`encrypted payload under unknown key "${keyId}" (is it still in PAYLOAD_CODEC_KEYS?)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('encrypted payload too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** `id:base64,id:base64` → keys of exactly 32 bytes each. */
export function parseCodecKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw new Error('PAYLOAD_CODEC_KEYS entries must look like id:base64key');
    const id = part.slice(0, i);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`PAYLOAD_CODEC_KEYS: bad key id "${id}"`);
    const key = Buffer.from(part.slice(i + 1), 'base64');
    if (key.length !== 32) throw new Error(`PAYLOAD_CODEC_KEYS: key "${id}" is ${key.length} bytes, AES-256 needs 32`);
    if (keys.has(id)) throw new Error(`PAYLOAD_CODEC_KEYS: key id "${id}" appears twice`);
    keys.set(id, key);
  }
  if (!keys.size) throw new Error('PAYLOAD_CODEC_KEYS is empty');
  return keys;
}

export type CodecConfig = Pick<Config, 'NODE_ENV' | 'PAYLOAD_CODEC_KEYS' | 'PAYLOAD_CODEC_ACTIVE_KEY'>;

/**
 * The codec of this deployment. Unset keys: the dev key in development and test; in production the
 * process refuses to start (a missing key must never mean histories in clear). The active key
 * defaults to the first listed.
 */
export function payloadCodecFromConfig(config: CodecConfig): AesGcmPayloadCodec {
  const spec = config.PAYLOAD_CODEC_KEYS;
  if (!spec && config.NODE_ENV === 'production') {
    throw new Error('PAYLOAD_CODEC_KEYS is required in production (id:base64 of 32 random bytes; see docs/limits.md)');
  }
  if (spec && config.NODE_ENV === 'production' && spec.includes(DEV_PAYLOAD_CODEC_KEYS.slice(4))) {
    throw new Error('PAYLOAD_CODEC_KEYS holds the development key; generate your own for production');
  }
  const keys = parseCodecKeys(spec ?? DEV_PAYLOAD_CODEC_KEYS);
  return new AesGcmPayloadCodec(keys, config.PAYLOAD_CODEC_ACTIVE_KEY ?? (keys.keys().next().value as string));
}
