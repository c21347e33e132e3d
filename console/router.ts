/**
 * The support and operations console, served by the API at /console. Server-rendered HTML with
 * htmx; every read and every action is a call to the API's own REST endpoints with the API key of
 * the signed-in session (console/api-client.ts), so the console can do nothing the key could not.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InventoryView, Job } from '../domain/schemas/inventory';
import type { OrderView } from '../domain/schemas/orders';
import type { ReturnView } from '../domain/schemas/returns';
import type { ReindexJob, ReindexStarted, SearchSyncStatusView } from '../domain/schemas/search';
import { ConsoleApi, type Problem } from './api-client';
import { AuditLog } from './audit';
import { answer, problemText } from './format';
import { type Html, html } from './html';
import { bare, canDo, page, whoLabel } from './layout';
import { inventoryView, jobPanel, lookupForm, syncSection } from './pages/inventory';
import { type OrderLinks, orderNotFound, orderPage, orderPanel } from './pages/order';
import { ordersPage, ordersTable, parseFilter } from './pages/orders-list';
import { parseReturnFilter, receiveItems, returnNotFound, returnPage, returnPanel, returnsPage } from './pages/returns';
import { reindexPanel, searchIndexPage, syncStatusPanel } from './pages/search-index';
import { signInPage } from './pages/sign-in';
import { RecentJobs } from './recent-jobs';
import {
  type ConsoleRole,
  clearCookie,
  cookieOptions,
  randomToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  type Session,
  SessionStore,
  SIGN_IN_COOKIE,
  safeEqual,
} from './session';

export interface ConsoleOptions {
  /** The API's Redis client (keys land under its REDIS_KEY_PREFIX). */
  redis: Redis;
  logger: Logger;
  temporalUiUrl: string;
  temporalNamespace: string;
  /** Session lifetime; 8 hours unless a test shortens it. */
  sessionTtlSeconds?: number;
}

/** Strict: every script and style is a file from /console/assets; no inline code anywhere. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const CONSOLE_ROLES: readonly string[] = ['support', 'ops', 'admin'];

interface Locals {
  session: Session;
  sessionId: string;
  api: ConsoleApi;
}

const locals = (res: Response) => res.locals as unknown as Locals;
const isHtmx = (req: Request) => req.headers['hx-request'] === 'true';
const param = (req: Request, name: string) => String(req.params[name] ?? '');
const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * htmx events an action's answer raises: the panel's refresh, and on acceptance `action-accepted`
 * on the form that asked (console.js clears it; a refused form keeps its input to correct).
 */
function changedTrigger(panelEvent: string, accepted: boolean): string {
  return accepted ? JSON.stringify({ [panelEvent]: {}, 'action-accepted': {} }) : panelEvent;
}

function send(res: Response, body: Html, status = 200): void {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(body.value);
}

export function createConsole(opts: ConsoleOptions): Router {
  const router = express.Router();
  const sessions = new SessionStore(opts.redis, opts.sessionTtlSeconds ?? SESSION_TTL_SECONDS);
  const audit = new AuditLog(opts.redis);
  const jobs = new RecentJobs(opts.redis);
  const links: OrderLinks = { temporalUiUrl: opts.temporalUiUrl, namespace: opts.temporalNamespace };
  const log = opts.logger.child({ component: 'console' });

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });

  // ---- static assets (no CDN): htmx from node_modules, the console's own CSS and JS ----------
  const require = createRequire(__filename);
  const htmxFile = require.resolve('htmx.org/dist/htmx.min.js');
  const assetOpts = { maxAge: '1h' };
  router.get('/assets/htmx.min.js', (_req, res) => res.sendFile(htmxFile, assetOpts));
  router.use('/assets', express.static(path.join(__dirname, 'assets'), { ...assetOpts, index: false, fallthrough: false }));

  router.use(express.urlencoded({ extended: false, limit: '1mb' }));

  // ---- sign-in and sign-out ----------------------------------------------------------------------
  router.get('/sign-in', (req, res) => {
    const token = randomToken();
    res.cookie(SIGN_IN_COOKIE, token, cookieOptions(req, 3600));
    const expired = req.query.expired === '1';
    const signedOut = req.query.signedOut === '1';
    send(
      res,
      bare(
        'Sign in',
        signInPage(
          token,
          expired
            ? { text: 'Your session has ended. Sign in again.', kind: 'info' }
            : signedOut
              ? { text: 'You are signed out.', kind: 'info' }
              : undefined,
        ),
      ),
    );
  });

  router.post('/sign-in', async (req, res, next) => {
    try {
      const presetToken = readCookie(req, SIGN_IN_COOKIE);
      if (!safeEqual(presetToken, field(req, '_csrf'))) return refuseCsrf(res);
      const refuse = (text: string, status: number) => {
        const token = randomToken();
        res.cookie(SIGN_IN_COOKIE, token, cookieOptions(req, 3600));
        send(res, bare('Sign in', signInPage(token, { text, kind: 'error' })), status);
      };
      const apiKey = field(req, 'apiKey');
      if (!apiKey) return refuse('Enter an API key.', 400);
      const who = await ConsoleApi.for(req, apiKey).get<{ role: string; name: string }>('/v1/auth/whoami');
      if (!who.ok) {
        return refuse(
          who.status === 401 ? 'That API key is not valid.' : `The API could not check the key: ${problemText(who.problem)}`,
          who.status === 401 ? 401 : 503,
        );
      }
      if (!CONSOLE_ROLES.includes(who.body.role)) {
        log.warn({ role: who.body.role, name: who.body.name }, 'console sign-in refused for role');
        return refuse(`A ${who.body.role} key cannot sign in to the console: use a support, ops or admin key.`, 403);
      }
      const { id, session } = await sessions.create({ role: who.body.role as ConsoleRole, name: who.body.name, apiKey });
      log.info({ role: session.role, name: session.name }, 'console sign-in');
      clearCookie(req, res, SIGN_IN_COOKIE);
      res.cookie(SESSION_COOKIE, id, cookieOptions(req, opts.sessionTtlSeconds ?? SESSION_TTL_SECONDS));
      res.redirect(303, '/console');
    } catch (err) {
      next(err);
    }
  });

  // ---- everything below needs a session ----------------------------------------------------------
  router.use(async (req, res, next) => {
    try {
      const id = readCookie(req, SESSION_COOKIE);
      const session = id ? await sessions.get(id) : undefined;
      if (!id || !session) {
        // Cleared by the page that says so (a GET), so a refused POST leaves that message to come.
        if (id && req.method === 'GET') clearCookie(req, res, SESSION_COOKIE);
        const target = id ? '/console/sign-in?expired=1' : '/console/sign-in';
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          // A POST without a live session changes nothing.
          res.setHeader('HX-Redirect', target);
          send(res, bare('Signed out', html`<h1>Signed out</h1><p>Your session has ended. <a href="${target}">Sign in</a></p>`), 401);
          return;
        }
        if (isHtmx(req)) {
          res.setHeader('HX-Redirect', target);
          res.status(401).end();
          return;
        }
        res.redirect(303, target);
        return;
      }
      const l = locals(res);
      l.session = session;
      l.sessionId = id;
      l.api = ConsoleApi.for(req, session.apiKey);
      next();
    } catch (err) {
      next(err);
    }
  });

  function refuseCsrf(res: Response): void {
    send(res, bare('Refused', html`<h1>Refused</h1><p>This request did not carry the session's CSRF token. Nothing was changed.</p>`), 403);
  }

  // CSRF: every POST carries the session's token (htmx sends it as a header, plain forms as a field).
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const sent = (req.headers['x-csrf-token'] as string | undefined) ?? field(req, '_csrf');
    if (!safeEqual(sent, locals(res).session.csrf)) {
      log.warn({ path: req.path }, 'console POST without a valid CSRF token refused');
      return refuseCsrf(res);
    }
    next();
  });

  router.post('/sign-out', async (req, res, next) => {
    try {
      await sessions.destroy(locals(res).sessionId);
      clearCookie(req, res, SESSION_COOKIE);
      res.redirect(303, '/console/sign-in?signedOut=1');
    } catch (err) {
      next(err);
    }
  });

  const needs =
    (roles: ReadonlyArray<'support' | 'ops'>) =>
    (_req: Request, res: Response, next: NextFunction): void => {
      const { session } = locals(res);
      if (canDo(session, roles)) {
        next();
        return;
      }
      const body = html`<h1>Not for your role</h1><p>This page needs the ${roles.join(' or ')} role; you are signed in as ${whoLabel(session)}.</p>`;
      send(res, page({ title: 'Not for your role', session, current: '', body }), 403);
    };

  const wrap =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction): void => {
      fn(req, res).catch(next);
    };

  // ---- failed orders -----------------------------------------------------------------------------
  router.get(
    '/',
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const body = await ordersPage(api, parseFilter(req.query));
      send(res, page({ title: 'Failed orders', session, current: '/console', body }));
    }),
  );
  router.get(
    '/orders-table',
    wrap(async (req, res) => {
      send(res, await ordersTable(locals(res).api, parseFilter(req.query)));
    }),
  );

  // ---- one order ---------------------------------------------------------------------------------
  const loadOrder = (api: ConsoleApi, id: string) => api.get<OrderView>(`/v1/orders/${encodeURIComponent(id)}`);

  router.get(
    '/orders/:id',
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const id = param(req, 'id');
      const r = await loadOrder(api, id);
      if (!r.ok) {
        const body = r.status === 404 || r.status === 400 ? orderNotFound(id) : answer(false, 'The API refused', r.problem);
        send(res, page({ title: `Order ${id}`, session, current: '', body }), r.status);
        return;
      }
      const body = orderPage(r.body, await audit.list('order', id), session, links);
      send(res, page({ title: `Order ${id}`, session, current: '', body }));
    }),
  );

  router.get(
    '/orders/:id/panel',
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const id = param(req, 'id');
      const r = await loadOrder(api, id);
      if (!r.ok) return send(res, answer(false, 'Could not load the order', r.problem));
      send(res, orderPanel(r.body, await audit.list('order', id), session));
    }),
  );

  // The order's live event stream, relayed with the session's key (EventSource cannot send headers,
  // and the key must not reach the page).
  router.get(
    '/orders/:id/events',
    wrap(async (req, res) => {
      const { api } = locals(res);
      const ac = new AbortController();
      res.on('close', () => ac.abort());
      const lastId = req.headers['last-event-id'];
      let upstream: globalThis.Response;
      try {
        upstream = await api.stream(
          `/v1/orders/${encodeURIComponent(param(req, 'id'))}/events`,
          ac.signal,
          typeof lastId === 'string' ? lastId : undefined,
        );
      } catch {
        res.status(503).end();
        return;
      }
      if (!upstream.ok || !upstream.body) {
        // 204 tells EventSource to stop reconnecting (no such order, or the key lost its rights).
        res.status(upstream.status === 404 ? 204 : upstream.status).end();
        return;
      }
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream<Uint8Array>)
        .on('error', () => res.end())
        .pipe(res);
    }),
  );

  async function orderAction(
    req: Request,
    res: Response,
    action: string,
    call: (api: ConsoleApi, id: string, by: string) => Promise<{ ok: boolean; status: number; problem?: Problem; detail?: string }>,
  ): Promise<void> {
    const { api, session } = locals(res);
    const id = param(req, 'id');
    const by = whoLabel(session);
    // Stamped when asked, so the timeline shows the request before the changes it caused.
    const at = new Date().toISOString();
    const r = await call(api, id, by);
    const outcome = r.ok
      ? `${r.status} ${r.status === 202 ? 'accepted (it runs on; the timeline follows)' : 'done'}`
      : problemText(r.problem ?? { status: r.status });
    await audit.record('order', id, { at, action, by, outcome, ok: r.ok, ...(r.detail ? { detail: r.detail } : {}) });
    log.info({ orderId: id, action, by, status: r.status }, 'console order action');
    if (!isHtmx(req)) return res.redirect(303, `/console/orders/${encodeURIComponent(id)}`);
    res.setHeader('HX-Trigger', changedTrigger('order-changed', r.ok));
    send(res, answer(r.ok, r.ok ? `${action}: the API answered ${outcome}` : `${action} refused`, r.ok ? undefined : r.problem));
  }

  router.post(
    '/orders/:id/retry',
    needs(['support', 'ops']),
    wrap((req, res) =>
      orderAction(req, res, 'Retry', async (api, id) => {
        // The workflow writes "resumed at <step> by <role> (<note>)" into the order's timeline.
        return api.post(`/v1/ops/orders/${encodeURIComponent(id)}/retry`, { note: `console: ${locals(res).session.name}` });
      }),
    ),
  );

  router.post(
    '/orders/:id/cancel',
    needs(['support', 'ops']),
    wrap(async (req, res) => {
      const reason = field(req, 'reason');
      if (field(req, 'confirm') !== 'yes' || !reason) {
        const problem: Problem = {
          status: 400,
          code: 'invalid_request',
          detail: !reason ? 'Give a reason for the cancellation.' : 'Tick the confirmation to cancel the order.',
        };
        if (!isHtmx(req)) return void send(res, answer(false, 'Cancel order refused', problem), 400);
        return void send(res, answer(false, 'Cancel order: nothing sent', problem));
      }
      await orderAction(req, res, 'Cancel order', async (api, id, by) => {
        const r = await api.post(`/v1/orders/${encodeURIComponent(id)}/cancel`, { reason: `${reason} — by ${by}`.slice(0, 500) });
        return { ...r, detail: reason };
      });
    }),
  );

  router.post(
    '/orders/:id/ship',
    needs(['ops']),
    wrap((req, res) =>
      orderAction(req, res, 'Ship', async (api, id, by) => {
        const carrier = field(req, 'carrier');
        const service = field(req, 'service');
        const r = await api.post(`/v1/ops/orders/${encodeURIComponent(id)}/ship`, {
          ...(carrier ? { carrier } : {}),
          ...(service ? { service } : {}),
          note: `shipped by ${by}`,
        });
        return { ...r, detail: [carrier, service].filter(Boolean).join(' ') };
      }),
    ),
  );

  router.post(
    '/orders/:id/refund',
    needs(['support']),
    wrap(async (req, res) => {
      const reason = field(req, 'reason');
      const amountText = field(req, 'amount');
      const currency = field(req, 'currency');
      const key = field(req, 'idempotencyKey');
      // Minor units from "12.34" without floating point.
      const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(amountText);
      const amount = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : 0;
      if (!reason || !m || amount < 1 || !key || !/^[A-Z]{3}$/.test(currency)) {
        const problem: Problem = {
          status: 400,
          code: 'invalid_request',
          detail: !reason
            ? 'Give a reason for the refund.'
            : !key
              ? 'Reload the page: the form has no idempotency key.'
              : 'Amount must be more than 0, like 5.00.',
        };
        return void send(res, answer(false, 'Refund: nothing sent', problem), isHtmx(req) ? 200 : 400);
      }
      await orderAction(req, res, 'Refund', async (api, id, by) => {
        const r = await api.post<OrderView>(
          `/v1/ops/orders/${encodeURIComponent(id)}/refunds`,
          { amount: { amount, currency }, reason: `${reason} — by ${by}`.slice(0, 500) },
          { 'idempotency-key': key },
        );
        return { ...r, detail: `${amountText} ${currency}: ${reason}` };
      });
    }),
  );

  // ---- inventory (ops) -----------------------------------------------------------------------------
  const recentSyncJobs = async (api: ConsoleApi): Promise<Html[]> => {
    const ids = await jobs.list('sync');
    const found = await Promise.all(ids.slice(0, 5).map((id) => api.get<Job>(`/v1/ops/jobs/${encodeURIComponent(id)}`)));
    return found.flatMap((r) => (r.ok ? [jobPanel(r.body)] : []));
  };

  router.get(
    '/inventory',
    needs(['ops']),
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const sku = typeof req.query.sku === 'string' ? req.query.sku.trim().slice(0, 100) : '';
      let result: Html = html``;
      if (sku) {
        const r = await api.get<InventoryView>(`/v1/ops/inventory/${encodeURIComponent(sku)}`);
        result = r.ok
          ? inventoryView(r.body, await audit.list('sku', r.body.sku), session)
          : answer(false, `No stock view for ${sku}`, r.problem);
      }
      const body = html`<h1>Inventory</h1>
${lookupForm(sku)}
<div id="action-result" role="status" aria-live="polite"></div>
${result}
${syncSection(session, await recentSyncJobs(api))}`;
      send(res, page({ title: 'Inventory', session, current: '/console/inventory', body }));
    }),
  );

  router.post(
    '/inventory/:sku/adjust',
    needs(['ops']),
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const sku = param(req, 'sku');
      const onHandText = field(req, 'onHand');
      const reason = field(req, 'reason');
      const locationId = field(req, 'locationId');
      const onHand = Number(onHandText);
      const back = `/console/inventory?sku=${encodeURIComponent(sku)}`;
      if (!reason || onHandText === '' || !Number.isInteger(onHand) || onHand < 0) {
        const problem: Problem = {
          status: 400,
          code: 'invalid_request',
          detail: !reason ? 'Give a reason for the adjustment.' : 'On hand must be a whole number, 0 or more.',
        };
        return void send(res, answer(false, 'Adjust: nothing sent', problem), isHtmx(req) ? 200 : 400);
      }
      const r = await api.put<InventoryView>(`/v1/ops/inventory/${encodeURIComponent(sku)}`, {
        onHand,
        ...(locationId ? { locationId } : {}),
      });
      const by = whoLabel(session);
      const outcome = r.ok ? `on hand set to ${onHand}${locationId ? ` at ${locationId}` : ''}` : problemText(r.problem);
      await audit.record('sku', sku, { at: new Date().toISOString(), action: 'Adjust on hand', by, outcome, ok: r.ok, detail: reason });
      log.info({ sku, onHand, locationId, reason, by, status: r.status }, 'console stock adjustment');
      if (!isHtmx(req)) return res.redirect(303, back);
      if (!r.ok) return void send(res, answer(false, 'Adjust refused', r.problem));
      // The new view replaces the old one (out of band) and the answer goes to the status region.
      const view = inventoryView(r.body, await audit.list('sku', sku), session);
      send(
        res,
        html`${answer(true, `Adjusted: ${outcome} (reason: ${reason})`)}
<div hx-swap-oob="outerHTML:#inventory-view">${view}</div>`,
      );
    }),
  );

  router.post(
    '/inventory/sync',
    needs(['ops']),
    wrap(async (req, res) => {
      const { api } = locals(res);
      const items: Array<{ sku: string; onHand: number; locationId?: string }> = [];
      const bad: string[] = [];
      field(req, 'rows')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
        .forEach((line, i) => {
          const [sku = '', onHand = '', locationId = ''] = line.split(',').map((c) => c.trim());
          const n = Number(onHand);
          if (!sku || onHand === '' || !Number.isInteger(n) || n < 0) bad.push(`line ${i + 1}: ${line}`);
          else items.push({ sku, onHand: n, ...(locationId ? { locationId } : {}) });
        });
      if (bad.length || !items.length) {
        const problem: Problem = {
          status: 400,
          code: 'invalid_request',
          detail: bad.length ? `Not sku,onHand[,locationId]: ${bad.slice(0, 5).join('; ')}` : 'No rows.',
        };
        return void send(res, answer(false, 'Sync: nothing sent', problem), isHtmx(req) ? 200 : 400);
      }
      const r = await api.post<{ jobId: string }>('/v1/ops/inventory/sync', { items });
      if (!r.ok) return void send(res, answer(false, 'Sync refused', r.problem), isHtmx(req) ? 200 : r.status);
      await jobs.add('sync', r.body.jobId);
      if (!isHtmx(req)) return res.redirect(303, '/console/inventory');
      const job = await api.get<Job>(`/v1/ops/jobs/${encodeURIComponent(r.body.jobId)}`);
      send(res, job.ok ? jobPanel(job.body) : answer(true, `Sync job ${r.body.jobId} started`));
    }),
  );

  router.get(
    '/inventory/jobs/:jobId',
    needs(['ops']),
    wrap(async (req, res) => {
      const r = await locals(res).api.get<Job>(`/v1/ops/jobs/${encodeURIComponent(param(req, 'jobId'))}`);
      send(res, r.ok ? jobPanel(r.body) : answer(false, 'Job unavailable', r.problem));
    }),
  );

  // ---- search index (ops; reindex admin) -------------------------------------------------------------
  const syncStatus = (api: ConsoleApi) => api.get<SearchSyncStatusView>('/v1/admin/search/sync');

  router.get(
    '/search-index',
    needs(['ops']),
    wrap(async (_req, res) => {
      const { api, session } = locals(res);
      const [status, lastId] = await Promise.all([syncStatus(api), jobs.list('reindex').then((l) => l[0])]);
      const last = lastId ? await api.get<ReindexJob>(`/v1/admin/search/reindex/${encodeURIComponent(lastId)}`) : null;
      const body = searchIndexPage(syncStatusPanel(status), session, last?.ok ? reindexPanel(last.body) : null);
      send(res, page({ title: 'Search index', session, current: '/console/search-index', body }));
    }),
  );

  router.get(
    '/search-index/status',
    needs(['ops']),
    wrap(async (_req, res) => send(res, syncStatusPanel(await syncStatus(locals(res).api)))),
  );

  router.post(
    '/search-index/reindex',
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      // The API decides (admin only); a non-admin gets its 403 problem shown.
      const r = await api.post<ReindexStarted>('/v1/admin/search/reindex', undefined);
      log.info({ by: whoLabel(session), status: r.status }, 'console reindex');
      if (!r.ok) return void send(res, answer(false, 'Reindex refused', r.problem), isHtmx(req) ? 200 : r.status);
      await jobs.add('reindex', r.body.jobId);
      if (!isHtmx(req)) return res.redirect(303, '/console/search-index');
      const job = await api.get<ReindexJob>(`/v1/admin/search/reindex/${encodeURIComponent(r.body.jobId)}`);
      send(res, job.ok ? reindexPanel(job.body) : answer(true, `Reindex ${r.body.jobId} started`));
    }),
  );

  router.get(
    '/search-index/reindex/:jobId',
    needs(['ops']),
    wrap(async (req, res) => {
      const r = await locals(res).api.get<ReindexJob>(`/v1/admin/search/reindex/${encodeURIComponent(param(req, 'jobId'))}`);
      send(res, r.ok ? reindexPanel(r.body) : answer(false, 'Reindex job unavailable', r.problem));
    }),
  );

  // ---- returns (support and ops) -----------------------------------------------------------------------
  const loadReturn = (api: ConsoleApi, id: string) => api.get<ReturnView>(`/v1/ops/returns/${encodeURIComponent(id)}`);

  router.get(
    '/returns',
    needs(['support', 'ops']),
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const body = await returnsPage(api, parseReturnFilter(req.query));
      send(res, page({ title: 'Returns', session, current: '/console/returns', body }));
    }),
  );

  router.get(
    '/returns/:id',
    needs(['support', 'ops']),
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const id = param(req, 'id');
      const r = await loadReturn(api, id);
      if (!r.ok) {
        const body = r.status === 404 || r.status === 400 ? returnNotFound(id) : answer(false, 'The API refused', r.problem);
        send(res, page({ title: `Return ${id}`, session, current: '/console/returns', body }), r.status);
        return;
      }
      send(res, page({ title: `Return ${id}`, session, current: '/console/returns', body: returnPage(r.body, session) }));
    }),
  );

  router.get(
    '/returns/:id/panel',
    needs(['support', 'ops']),
    wrap(async (req, res) => {
      const { api, session } = locals(res);
      const r = await loadReturn(api, param(req, 'id'));
      send(res, r.ok ? returnPanel(r.body, session) : answer(false, 'Could not load the return', r.problem));
    }),
  );

  /** One return action: the API's answer shown as it came (its problem detail when refused). */
  async function returnAction(req: Request, res: Response, action: string, path: string, body: unknown): Promise<void> {
    const { api, session } = locals(res);
    const id = param(req, 'id');
    const r = await api.post<ReturnView>(`/v1/ops/returns/${encodeURIComponent(id)}/${path}`, body);
    log.info({ returnId: id, action, by: whoLabel(session), status: r.status }, 'console return action');
    if (!isHtmx(req)) {
      if (r.ok) return res.redirect(303, `/console/returns/${encodeURIComponent(id)}`);
      return void send(
        res,
        page({ title: `${action} refused`, session, current: '/console/returns', body: answer(false, `${action} refused`, r.problem) }),
        r.status,
      );
    }
    res.setHeader('HX-Trigger', changedTrigger('return-changed', r.ok));
    send(
      res,
      r.ok
        ? answer(
            true,
            `${action}: the API answered ${r.status} ${r.status === 202 ? 'accepted (it runs on)' : 'done'} — return ${r.body.status}`,
          )
        : answer(false, `${action} refused`, r.problem),
    );
  }

  const nothingSent = (req: Request, res: Response, action: string, detail: string) =>
    send(res, answer(false, `${action}: nothing sent`, { status: 400, code: 'invalid_request', detail }), isHtmx(req) ? 200 : 400);

  // The API decides who may (approve and reject: support; receive: ops); a refusal shows its 403.
  router.post(
    '/returns/:id/approve',
    wrap((req, res) => returnAction(req, res, 'Approve', 'approve', undefined)),
  );

  router.post(
    '/returns/:id/reject',
    wrap(async (req, res) => {
      const reason = field(req, 'reason');
      if (!reason) return void nothingSent(req, res, 'Reject', 'Give a reason for the rejection.');
      await returnAction(req, res, 'Reject', 'reject', { reason: `${reason} — by ${whoLabel(locals(res).session)}`.slice(0, 500) });
    }),
  );

  router.post(
    '/returns/:id/receive',
    wrap(async (req, res) => {
      const { items, bad } = receiveItems((req.body ?? {}) as Record<string, unknown>);
      if (bad.length || !items.length)
        return void nothingSent(
          req,
          res,
          'Receive',
          bad.length ? `Not whole numbers: ${bad.slice(0, 5).join('; ')}` : 'Receive at least one unit.',
        );
      await returnAction(req, res, 'Receive', 'receive', { items });
    }),
  );

  router.post(
    '/returns/:id/retry',
    wrap((req, res) => returnAction(req, res, 'Retry', 'retry', { note: `console: ${locals(res).session.name}` })),
  );

  router.use((req, res) => {
    const { session } = locals(res);
    send(
      res,
      page({ title: 'Not found', session, current: '', body: html`<h1>Not found</h1><p>No console page at ${req.originalUrl}.</p>` }),
      404,
    );
  });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    log.error({ err, path: req.path }, 'console error');
    if (res.headersSent) return void res.end();
    send(res, bare('Error', html`<h1>Something went wrong</h1><p>The console could not complete this request. Try again.</p>`), 500);
  });

  return router;
}
