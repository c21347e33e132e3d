/**
 * The layout of DESIGN.md, enforced: which top-level folder may import which (and, where the
 * design allows only a type, that it is only a type), and no import circles between files. A new
 * dependency between folders is a decision: make it here, with its reason, or do not make it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SKIP = new Set(['node_modules', '.git', '.tools', '.data', 'dist', 'test', 'bench']);

/** Folder → the folders it may import, each with why (DESIGN.md's table and its written exceptions). */
const MAY_IMPORT: Record<string, Record<string, string>> = {
  domain: {},
  config: { domain: 'the table' },
  observability: { config: 'the table' },
  db: { domain: 'the table', config: 'the migrate and seed CLIs are entry points' },
  search: { domain: 'the table', config: 'index-size.ts is a factory from the config' },
  integrations: { domain: 'the table', config: 'the carrier registry and the sandboxes are built from the config' },
  cache: { domain: 'the table', db: 'the table', config: 'the table', observability: 'the table' },
  temporal: {
    domain: 'the table',
    config: 'task queues and ids are prefixed from the config',
    workflows: 'the table (start by reference)',
    observability: "types only: the pino Logger the SDK's log lines go to (temporal/logger.ts)",
  },
  clients: {
    cache: 'the Redis client',
    config: 'built from the config',
    db: 'the Postgres pool',
    integrations: 'the carrier registry',
    observability: 'the logger',
    search: 'the Meilisearch client',
    temporal: 'the Temporal client',
  },
  examples: { clients: "a storefront's server uses the typed client (clients/storefront/) and nothing inside the engine" },
  workflows: {
    domain: 'the table',
    temporal: 'accepted exception: the pure search-attribute definitions',
    activities: 'types only: proxyActivities<Activities>',
  },
  activities: {
    domain: 'the table',
    db: 'the table',
    search: 'the table',
    integrations: 'the table',
    cache: 'cache/ is the one home of the quote store and the order-event publisher the activities write to',
    clients: 'activities/deps.ts builds its clients there',
    config: 'activities/deps.ts is a factory from the config',
    observability: 'the logger and the readiness probe of the system check',
  },
  api: {
    domain: 'the table',
    db: 'the table',
    search: 'the table',
    cache: 'the table',
    temporal: 'the table (the Temporal client)',
    workflows:
      'message definitions, and workflow functions to start them by reference (DESIGN: defined beside the workflow, exported for the API)',
    integrations: 'accepted exception: carrier webhook signatures',
    clients: 'api/deps.ts builds its clients there',
    config: 'entry point and factories',
    observability: 'logger, metrics, readiness',
    console: 'app.ts mounts the console at /console',
  },
  console: {
    domain: 'types only: the request and response schemas of the API (its public HTTP surface); the console calls the API over HTTP',
  },
  workers: {
    workflows: 'the table',
    activities: 'the table',
    config: 'entry point',
    observability: 'entry point: logger',
    cache: 'entry point: the cache invalidator loop runs in the worker',
    search: 'entry point: the index size before the first reindex',
    temporal: 'entry point: starting the search sync',
  },
};
/** Folder pairs allowed only as `import type`. */
const TYPE_ONLY = new Set(['workflows->activities', 'console->domain', 'temporal->observability']);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path.relative(ROOT, p));
  }
  return out;
}

const files = sourceFiles(ROOT);
const known = new Set(files);
const resolve = (from: string, spec: string): string | undefined => {
  const base = path.normalize(path.join(path.dirname(from), spec));
  return [`${base}.ts`, path.join(base, 'index.ts')].find((c) => known.has(c));
};
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"](\.[^'"]+)['"]/g;
const edges: Edge[] = files.flatMap((f) => {
  const src = readFileSync(path.join(ROOT, f), 'utf8');
  return [...src.matchAll(IMPORT)].flatMap((m) => {
    const to = resolve(f, m[4] as string);
    if (!to) return [];
    const names = (m[3] ?? '')
      .replace(/[{}\s]/g, '')
      .split(',')
      .filter(Boolean);
    const typeOnly = Boolean(m[2]) || (names.length > 0 && names.every((n) => n.startsWith('type')));
    return [{ from: f, to, typeOnly }];
  });
});
const top = (f: string) => (f.includes(path.sep) ? (f.split(path.sep)[0] as string) : '.');

test('the import scan sees the code (a broken scan would pass everything)', () => {
  expect(files.length).toBeGreaterThan(100);
  expect(edges.some((e) => e.from === path.join('api', 'deps.ts') && e.to === path.join('clients', 'index.ts'))).toBe(true);
  expect(edges.some((e) => e.from.startsWith('workflows') && e.to === path.join('activities', 'index.ts') && e.typeOnly)).toBe(true);
});

test('every folder imports only what the layout allows', () => {
  const wrong: string[] = [];
  for (const e of edges) {
    const a = top(e.from);
    const b = top(e.to);
    if (a === b || a === 'stack' || a === '.') continue; // stack/ is the dev composition root
    const allowed = MAY_IMPORT[a];
    if (!allowed) wrong.push(`${e.from}: folder ${a}/ is not in the layout`);
    else if (!(b in allowed)) wrong.push(`${e.from} -> ${e.to}`);
    else if (TYPE_ONLY.has(`${a}->${b}`) && !e.typeOnly) wrong.push(`${e.from} -> ${e.to} (types only)`);
  }
  expect(wrong).toEqual([]);
});

test('no import circles between files', () => {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const circles: string[] = [];
  const visit = (f: string, trail: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      circles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
      return;
    }
    state.set(f, 'open');
    for (const t of next.get(f) ?? []) visit(t, [...trail, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  expect(circles).toEqual([]);
});
