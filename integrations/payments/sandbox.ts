/**
 * The payment sandbox (SANDBOX.md): authorize, capture, void and refund, each idempotent by the
 * `Idempotency-Key` header (the same key replays the first answer, even a decline). Card tokens
 * decide the outcome: `tok_visa` approves, `tok_decline` is a hard decline (402), `tok_flaky`
 * answers 503 to the first two attempts of a key and then approves; any other token is
 * declined as `invalid_token`. Faults: `POST /__faults {"down": true|false, "latencyMs": n,
 * "reset": true}`. `GET /__ledger` lists every authorization, capture, void and refund.
 * With a `dataFile` the ledger and the idempotency records survive a restart (see journal.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { type JournalLine, openJournal } from './journal';

type Kind = 'authorization' | 'capture' | 'void' | 'refund';

export interface LedgerEntry {
  type: Kind;
  id: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  /** The merchant's reference (the order id) for authorizations; the parent id otherwise. */
  reference: string;
  authorizationId?: string;
  captureId?: string;
  token?: string;
  createdAt: string;
}

interface AuthorizationState {
  id: string;
  amount: number;
  currency: string;
  reference: string;
  status: 'authorized' | 'captured' | 'voided';
  captured: number;
}
interface CaptureState {
  id: string;
  authorizationId: string;
  amount: number;
  currency: string;
  refunded: number;
}

interface Stored {
  status: number;
  body: unknown;
}

export interface PaymentSandbox {
  url: string;
  port: number;
  ledger(): LedgerEntry[];
  setFaults(f: { down?: boolean; latencyMs?: number }): void;
  reset(): void;
  close(): Promise<void>;
}

const FLAKY_FAILURES = 2;

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

type Line = JournalLine<LedgerEntry, AuthorizationState, CaptureState, Stored>;

export interface PaymentSandboxOptions {
  /** JSON-lines journal to keep state across restarts; undefined or `off` = memory only. */
  dataFile?: string;
}

export function createPaymentSandboxApp(opts: PaymentSandboxOptions = {}) {
  const state = {
    down: false,
    latencyMs: 0,
    ledger: [] as LedgerEntry[],
    authorizations: new Map<string, AuthorizationState>(),
    captures: new Map<string, CaptureState>(),
    /** `${operation}:${key}` → first answer, replayed for the same key. */
    replies: new Map<string, Stored>(),
    /** tok_flaky attempts per key. */
    attempts: new Map<string, number>(),
  };
  const journal =
    opts.dataFile && opts.dataFile !== 'off'
      ? openJournal<LedgerEntry, AuthorizationState, CaptureState, Stored>(opts.dataFile)
      : undefined;
  const apply = (line: Line) => {
    if (line.reply) state.replies.set(line.reply.slot, line.reply.stored);
    for (const e of line.ledger ?? []) state.ledger.push(e);
    for (const a of line.authorizations ?? []) state.authorizations.set(a.id, { ...a });
    for (const c of line.captures ?? []) state.captures.set(c.id, { ...c });
    for (const [k, n] of line.attempts ?? []) state.attempts.set(k, n);
  };
  for (const line of journal?.load() ?? []) apply(line);

  /** What the request being handled changed; written as one journal line before it is answered. */
  let change: Line = {};
  const touched = {
    ledger(e: LedgerEntry) {
      state.ledger.push(e);
      change.ledger = [...(change.ledger ?? []), e];
    },
    auth(a: AuthorizationState) {
      change.authorizations = [...(change.authorizations ?? []).filter((x) => x.id !== a.id), { ...a }];
    },
    cap(c: CaptureState) {
      change.captures = [...(change.captures ?? []).filter((x) => x.id !== c.id), { ...c }];
    },
    attempt(key: string, n: number) {
      change.attempts = [...(change.attempts ?? []), [key, n]];
    },
  };
  const commit = () => {
    const line = change;
    change = {};
    if (journal && Object.keys(line).length > 0) journal.append(line);
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const error = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

  app.use(async (req, res, next) => {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    if (state.down && !req.path.startsWith('/__')) {
      error(res, 503, 'unavailable', 'payment provider is down (sandbox fault)');
      return;
    }
    next();
  });

  /** Runs `op` once per (operation, Idempotency-Key); later calls with the key get the same answer. */
  function idempotent(operation: string, op: (req: Request) => Stored | 'retry-later') {
    return (req: Request, res: Response) => {
      const key = req.header('idempotency-key');
      if (!key) {
        error(res, 400, 'idempotency_key_required', 'send an Idempotency-Key header');
        return;
      }
      const slot = `${operation}:${key}`;
      const stored = state.replies.get(slot);
      if (stored) {
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(stored.status).json(stored.body);
        return;
      }
      change = {};
      const out = op(req);
      if (out === 'retry-later') {
        commit();
        error(res, 503, 'temporarily_unavailable', 'try again (tok_flaky)');
        return;
      }
      state.replies.set(slot, out);
      change.reply = { slot, stored: out };
      commit();
      res.status(out.status).json(out.body);
    };
  }

  const bad = (code: string, message: string, status = 400): Stored => ({ status, body: { error: { code, message } } });
  const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

  app.post(
    '/v1/authorizations',
    idempotent('authorize', (req) => {
      const { amount, currency, token, reference } = (req.body ?? {}) as Record<string, unknown>;
      if (!isAmount(amount) || typeof currency !== 'string' || typeof token !== 'string') {
        return bad('invalid_request', 'amount (integer minor units), currency and token are required');
      }
      const key = req.header('idempotency-key') ?? '';
      if (token === 'tok_flaky') {
        const n = (state.attempts.get(key) ?? 0) + 1;
        state.attempts.set(key, n);
        touched.attempt(key, n);
        if (n <= FLAKY_FAILURES) return 'retry-later';
      }
      if (token === 'tok_decline') return bad('card_declined', 'The card was declined', 402);
      if (token !== 'tok_visa' && token !== 'tok_flaky') return bad('invalid_token', `Unknown card token ${token}`, 402);
      const auth: AuthorizationState = {
        id: newId('auth'),
        amount,
        currency,
        reference: typeof reference === 'string' ? reference : '',
        status: 'authorized',
        captured: 0,
      };
      state.authorizations.set(auth.id, auth);
      touched.auth(auth);
      touched.ledger({
        type: 'authorization',
        id: auth.id,
        idempotencyKey: key,
        amount,
        currency,
        reference: auth.reference,
        token,
        createdAt: new Date().toISOString(),
      });
      return { status: 201, body: { id: auth.id, status: auth.status, amount, currency, reference: auth.reference } };
    }),
  );

  app.get('/v1/authorizations/:id', (req, res) => {
    const auth = state.authorizations.get(String(req.params.id));
    if (!auth) error(res, 404, 'not_found', 'no such authorization');
    else res.json(auth);
  });

  app.post(
    '/v1/authorizations/:id/capture',
    idempotent('capture', (req) => {
      const auth = state.authorizations.get(String(req.params.id));
      if (!auth) return bad('not_found', 'no such authorization', 404);
      const amount = (req.body as Record<string, unknown>)?.amount ?? auth.amount;
      if (!isAmount(amount) || amount > auth.amount) return bad('invalid_amount', 'capture amount exceeds the authorization');
      if (auth.status !== 'authorized') return bad('invalid_state', `authorization is ${auth.status}`, 409);
      auth.status = 'captured';
      auth.captured = amount;
      const cap: CaptureState = { id: newId('cap'), authorizationId: auth.id, amount, currency: auth.currency, refunded: 0 };
      state.captures.set(cap.id, cap);
      touched.auth(auth);
      touched.cap(cap);
      touched.ledger({
        type: 'capture',
        id: cap.id,
        idempotencyKey: req.header('idempotency-key') ?? '',
        amount,
        currency: auth.currency,
        reference: auth.reference,
        authorizationId: auth.id,
        createdAt: new Date().toISOString(),
      });
      return { status: 201, body: { id: cap.id, authorizationId: auth.id, status: 'captured', amount, currency: auth.currency } };
    }),
  );

  app.post(
    '/v1/authorizations/:id/void',
    idempotent('void', (req) => {
      const auth = state.authorizations.get(String(req.params.id));
      if (!auth) return bad('not_found', 'no such authorization', 404);
      if (auth.status === 'captured') return bad('invalid_state', 'authorization is captured: refund instead', 409);
      if (auth.status === 'authorized') {
        auth.status = 'voided';
        touched.auth(auth);
        touched.ledger({
          type: 'void',
          id: auth.id,
          idempotencyKey: req.header('idempotency-key') ?? '',
          amount: auth.amount,
          currency: auth.currency,
          reference: auth.reference,
          authorizationId: auth.id,
          createdAt: new Date().toISOString(),
        });
      }
      return { status: 200, body: { id: auth.id, status: 'voided', amount: auth.amount, currency: auth.currency } };
    }),
  );

  app.post(
    '/v1/captures/:id/refunds',
    idempotent('refund', (req) => {
      const cap = state.captures.get(String(req.params.id));
      if (!cap) return bad('not_found', 'no such capture', 404);
      const amount = (req.body as Record<string, unknown>)?.amount ?? cap.amount - cap.refunded;
      if (!isAmount(amount) || amount > cap.amount - cap.refunded)
        return bad('invalid_amount', 'refund exceeds what is left of the capture');
      cap.refunded += amount;
      const id = newId('ref');
      touched.cap(cap);
      const auth = state.authorizations.get(cap.authorizationId);
      touched.ledger({
        type: 'refund',
        id,
        idempotencyKey: req.header('idempotency-key') ?? '',
        amount,
        currency: cap.currency,
        reference: auth?.reference ?? '',
        captureId: cap.id,
        authorizationId: cap.authorizationId,
        createdAt: new Date().toISOString(),
      });
      return { status: 201, body: { id, captureId: cap.id, status: 'refunded', amount, currency: cap.currency } };
    }),
  );

  app.post('/__faults', (req, res) => {
    const body = (req.body ?? {}) as { down?: unknown; latencyMs?: unknown; reset?: unknown };
    if (body.reset === true) {
      state.down = false;
      state.latencyMs = 0;
    }
    if (typeof body.down === 'boolean') state.down = body.down;
    if (typeof body.latencyMs === 'number' && body.latencyMs >= 0) state.latencyMs = body.latencyMs;
    res.json({ down: state.down, latencyMs: state.latencyMs });
  });

  app.get('/__ledger', (req, res) => {
    const reference = typeof req.query.reference === 'string' ? req.query.reference : undefined;
    const entries = reference ? state.ledger.filter((e) => e.reference === reference) : state.ledger;
    res.json({
      entries,
      authorizations: entries.filter((e) => e.type === 'authorization'),
      captures: entries.filter((e) => e.type === 'capture'),
      voids: entries.filter((e) => e.type === 'void'),
      refunds: entries.filter((e) => e.type === 'refund'),
    });
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  return {
    app,
    ledger: () => [...state.ledger],
    setFaults(f: { down?: boolean; latencyMs?: number }) {
      if (f.down !== undefined) state.down = f.down;
      if (f.latencyMs !== undefined) state.latencyMs = f.latencyMs;
    },
    reset() {
      state.down = false;
      state.latencyMs = 0;
      state.ledger.length = 0;
      state.authorizations.clear();
      state.captures.clear();
      state.replies.clear();
      state.attempts.clear();
      journal?.truncate();
    },
  };
}

/** Starts the sandbox on `port` (0 = any free port) on 127.0.0.1. */
export async function startPaymentSandbox(opts: { port: number; host?: string } & PaymentSandboxOptions): Promise<PaymentSandbox> {
  const sandbox = createPaymentSandboxApp(opts);
  const server: Server = await new Promise((resolve, reject) => {
    const s = sandbox.app.listen(opts.port, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    ledger: sandbox.ledger,
    setFaults: sandbox.setFaults,
    reset: sandbox.reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
