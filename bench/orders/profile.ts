/** CPU seconds used by processes during a run, from /proc (Linux): what the box spent its cores on. */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

function procCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14–17 (1-based) → 11–14 after the comm field
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
  } catch {
    return 0;
  }
}

/** Sum over a process and its descendants. */
function treeCpu(pid: number): number {
  let total = procCpu(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const c of children) total += treeCpu(Number(c));
  } catch {
    // no children file
  }
  return total;
}

/** Every postgres process on the box (the server is shared; the benchmark is what runs meanwhile). */
function postgresCpu(): number {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres')) total += procCpu(Number(d));
    } catch {
      // exited
    }
  }
  return total;
}

export interface CpuSample {
  node: number;
  temporal: number;
  postgres: number;
  wallMs: number;
}

export function sampleCpu(temporalPid: number | undefined): CpuSample {
  const u = process.cpuUsage();
  return {
    node: (u.user + u.system) / 1e6,
    temporal: temporalPid ? treeCpu(temporalPid) : 0,
    postgres: postgresCpu(),
    wallMs: Date.now(),
  };
}

export function cpuDelta(a: CpuSample, b: CpuSample) {
  const wall = (b.wallMs - a.wallMs) / 1000;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    wallS: round(wall),
    nodeCpuS: round(b.node - a.node),
    temporalCpuS: round(b.temporal - a.temporal),
    postgresCpuS: round(b.postgres - a.postgres),
  };
}

/**
 * CPU seconds of this process per thread group (/proc/self/task/<tid>/comm): the JS main thread
 * (`main`: the API, the activities, the sandboxes, autocannon), the other JS threads (`js-workers`:
 * the SDK's workflow thread(s) — Node names its threads `node`), the Temporal core SDK's Rust
 * runtime, libuv's pool, V8 helpers. With `waitS`, the seconds each group was runnable but
 * waiting for a core (/proc/<tid>/schedstat): CPU + wait ≈ wall time means the thread would have
 * used a whole core had one been free — the box, not the thread's work, sets its pace.
 */
export interface ThreadSample {
  cpu: Record<string, number>;
  wait: Record<string, number>;
  cpuPressureS: number;
}

function threadGroup(comm: string, tid: number): string {
  if (tid === process.pid) return 'main';
  if (/^tokio|^temporal|^core|^workflow-proces/i.test(comm)) return 'temporal-core';
  if (/^libuv/.test(comm)) return 'libuv';
  if (comm === 'node') return 'js-workers';
  return 'other';
}

/** The box's CPU pressure (PSI "some"): seconds during which at least one task waited for a core. */
function cpuPressure(): number {
  try {
    const m = /some .*total=(\d+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) / 1e6 : 0;
  } catch {
    return 0;
  }
}

export function sampleThreads(): ThreadSample {
  const out: ThreadSample = { cpu: {}, wait: {}, cpuPressureS: cpuPressure() };
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const t of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const g = threadGroup(comm, Number(t));
      out.cpu[g] = (out.cpu[g] ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS;
      const [, waitNs] = readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ');
      out.wait[g] = (out.wait[g] ?? 0) + Number(waitNs ?? 0) / 1e9;
    } catch {
      // thread exited
    }
  }
  return out;
}

export function threadDelta(a: ThreadSample, b: ThreadSample) {
  const diff = (x: Record<string, number>, y: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(y)) {
      const d = Math.round((v - (x[k] ?? 0)) * 100) / 100;
      if (d >= 0.05) out[k] = d;
    }
    return out;
  };
  return {
    cpuS: diff(a.cpu, b.cpu),
    runnableWaitS: diff(a.wait, b.wait),
    boxCpuPressureS: Math.round((b.cpuPressureS - a.cpuPressureS) * 100) / 100,
  };
}

/**
 * An in-process CPU profile of the main JS thread (inspector), summarised by where the code lives
 * (a package under node_modules, this repo's top-level folder, node internals, GC, idle) and by
 * the heaviest functions. Sampling costs a few percent; only on request (BENCH_CPU_PROFILE=1).
 */
export async function startCpuProfile(): Promise<() => Promise<CpuProfileSummary>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    return summariseProfile(profile);
  };
}

interface CpuProfile {
  nodes: Array<{ id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
export interface CpuProfileSummary {
  wallS: number;
  busyShare: number;
  byArea: Array<{ area: string; share: number }>;
  /** By the outermost frame of this repo (api, activities, integrations = the sandboxes, …) or a known library on the stack. */
  byOwner: Array<{ owner: string; share: number }>;
  topFunctions: Array<{ fn: string; share: number }>;
}

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const root = url.replace(/^file:\/\//, '');
  const m = /\/(api|activities|workflows|workers|db|domain|integrations|cache|observability|config|bench|temporal|search)\//.exec(root);
  return m ? `repo:${m[1]}` : root;
}

export /** Libraries that stand for a component when no frame of this repo is on the stack (callbacks from sockets). */
const OWNER_LIBS = new Set([
  'autocannon',
  'express',
  'router',
  'smtp-server',
  'mailparser',
  'nodemailer',
  '@temporalio/worker',
  '@temporalio/client',
  '@grpc/grpc-js',
  'pg',
  'kysely',
  'undici',
]);

function ownerOf(stack: string[]): string {
  let owner: string | undefined;
  for (const url of stack) {
    const area = areaOf(url, '');
    if (area.startsWith('repo:'))
      owner = area; // outermost wins: keep walking to the root
    else if (!owner && OWNER_LIBS.has(area)) owner = `lib:${area}`;
  }
  return owner ?? '(no app frame: GC, timers, sockets)';
}

export function summariseProfile(p: CpuProfile): CpuProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map<string, number>();
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id)?.callFrame;
    if (!cf) continue;
    if (cf.functionName === '(idle)') idle += us;
    else {
      const stack: string[] = [];
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) stack.push(byId.get(x)?.callFrame.url ?? '');
      const owner = ownerOf(stack);
      owners.set(owner, (owners.get(owner) ?? 0) + us);
    }
    const area = areaOf(cf.url, cf.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const file = cf.url.split('/').slice(-2).join('/');
    const key = `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const share = (us: number) => Math.round((us / total) * 1000) / 1000;
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ k, share: share(us) }));
  return {
    wallS: Math.round((p.endTime - p.startTime) / 1e4) / 100,
    busyShare: share(total - idle),
    byArea: top(areas, 16).map(({ k, share }) => ({ area: k, share })),
    byOwner: top(owners, 14).map(({ k, share }) => ({ owner: k, share })),
    topFunctions: top(fns, 20).map(({ k, share }) => ({ fn: k, share })),
  };
}
