/**
 * Per-process numbers for the soak: resident memory of a process group (a stack process and its
 * children, e.g. tsx → node) from /proc, and the V8 heaps its Node threads report through
 * test/soak/heap-probe.cjs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProcStat {
  pid: number;
  comm: string;
  pgid: number;
  /** User + system CPU in clock ticks, its own and its reaped children's (utime, stime, cutime, cstime). */
  cpuTicks: number;
}

/** Every process's /proc/<pid>/stat, the fields the soak reads. */
function procStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, inside parentheses): state is [0].
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0);
      out.push({
        pid: Number(entry),
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        pgid: Number(fields[2]),
        cpuTicks: ticks,
      });
    } catch {
      // the process ended while we read
    }
  }
  return out;
}

function groupPids(pgid: number): number[] {
  return procStats()
    .filter((p) => p.pgid === pgid)
    .map((p) => p.pid);
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux for every architecture we run on). */
const TICKS_PER_S = 100;

/**
 * CPU seconds used so far by each named set of processes: a stack process group (pgid), or every
 * process of one command name (the machine's Postgres: each backend is its own session). Exited
 * processes count through their parent's reaped-children times, so the sums only grow.
 */
export function cpuSeconds(sets: Record<string, { pgid: number } | { comm: string }>): Record<string, number> {
  const all = procStats();
  const out: Record<string, number> = {};
  for (const [name, set] of Object.entries(sets)) {
    const members = all.filter((p) => ('pgid' in set ? p.pgid === set.pgid : p.comm === set.comm));
    out[name] = members.reduce((n, p) => n + p.cpuTicks, 0) / TICKS_PER_S;
  }
  return out;
}

export function groupRssMb(pgid: number): number {
  let kb = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      kb += Number(rss ?? 0);
    } catch {
      // the process ended while we read
    }
  }
  return Math.round((kb / 1024) * 10) / 10;
}

interface ProbeRow {
  pid: number;
  threadId: number;
  at: number;
  heapUsedMb: number;
  externalMb: number;
  heapAfterGcMb: number | null;
  /** Over the probe's last minute (absent from probes before they measured it). */
  loopDelayMaxMs?: number;
  gcPauseMaxMs?: number;
  gcPauseTotalMs?: number;
  gcPauseMaxKind?: string | null;
}

export interface HeapStats {
  /** heapUsed of every thread of the group, summed (moves with uncollected garbage). */
  heapUsedMb: number;
  /** heapUsed right after each thread's latest major GC (its heapUsed until it had one), summed: the live heap. */
  heapAfterGcMb: number;
  /** The same, worker threads only (the Temporal worker's workflow thread: its workflow cache lives there). */
  threadsHeapAfterGcMb: number;
  /** Memory of C++ objects bound to JS objects (Buffers included), summed. */
  externalMb: number;
  /** Over the last minute: the longest event-loop delay of any thread, the longest GC pause, and all GC pauses summed. */
  loopDelayMaxMs?: number;
  gcPauseMaxMs?: number;
  gcPauseTotalMs?: number;
  /** The kind of GC that longest pause was (minor, major, incremental, weakcb), when the probe says. */
  gcPauseMaxKind?: string;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The heap-probe rows of a process group's threads (rows older than 30 s are from threads that ended). */
export function groupHeap(pgid: number, probeDir: string): HeapStats | undefined {
  if (!existsSync(probeDir)) return undefined;
  const pids = new Set(groupPids(pgid));
  const rows: ProbeRow[] = [];
  for (const f of readdirSync(probeDir)) {
    const m = /^(\d+)-\d+\.json$/.exec(f);
    if (!m || !pids.has(Number(m[1]))) continue;
    try {
      const row = JSON.parse(readFileSync(path.join(probeDir, f), 'utf8')) as ProbeRow;
      if (Date.now() - row.at < 30_000) rows.push(row);
    } catch {
      // being replaced right now: the next sample has it
    }
  }
  if (rows.length === 0) return undefined;
  const sum = (pick: (r: ProbeRow) => number, only: (r: ProbeRow) => boolean = () => true) =>
    round(rows.filter(only).reduce((s, r) => s + pick(r), 0));
  return {
    heapUsedMb: sum((r) => r.heapUsedMb),
    heapAfterGcMb: sum((r) => r.heapAfterGcMb ?? r.heapUsedMb),
    threadsHeapAfterGcMb: sum(
      (r) => r.heapAfterGcMb ?? r.heapUsedMb,
      (r) => r.threadId !== 0,
    ),
    externalMb: sum((r) => r.externalMb),
    loopDelayMaxMs: round(Math.max(0, ...rows.map((r) => r.loopDelayMaxMs ?? 0))),
    ...longestPause(rows),
    gcPauseTotalMs: sum((r) => r.gcPauseTotalMs ?? 0),
  };
}

/** The longest GC pause of the group's threads in the last minute, and its kind when the probe says. */
function longestPause(rows: ProbeRow[]): Pick<HeapStats, 'gcPauseMaxMs' | 'gcPauseMaxKind'> {
  const longest = rows.reduce<ProbeRow | undefined>((m, r) => ((r.gcPauseMaxMs ?? 0) > (m?.gcPauseMaxMs ?? 0) ? r : m), undefined);
  return {
    gcPauseMaxMs: round(longest?.gcPauseMaxMs ?? 0),
    ...(longest?.gcPauseMaxKind ? { gcPauseMaxKind: longest.gcPauseMaxKind } : {}),
  };
}

/** The group's main application process: of its Node processes, the one whose main thread has the largest heap (not the tsx launcher). */
export function mainNodePid(pgid: number, probeDir: string): number | undefined {
  const pids = new Set(groupPids(pgid));
  let best: { pid: number; heap: number } | undefined;
  for (const f of existsSync(probeDir) ? readdirSync(probeDir) : []) {
    const m = /^(\d+)-0\.json$/.exec(f);
    if (!m || !pids.has(Number(m[1]))) continue;
    try {
      const row = JSON.parse(readFileSync(path.join(probeDir, f), 'utf8')) as ProbeRow;
      if (!best || row.heapUsedMb > best.heap) best = { pid: row.pid, heap: row.heapUsedMb };
    } catch {
      // being replaced right now
    }
  }
  return best?.pid;
}

/** The box's CPU counters since boot (/proc/stat, jiffies): all, idle (idle + iowait), steal. */
export function boxCpu(): { total: number; idle: number; steal: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

/** Busy and stolen shares of the box's CPU between two readings, in percent. */
export function cpuShares(a: ReturnType<typeof boxCpu>, b: ReturnType<typeof boxCpu>): { busyPct: number; stealPct: number } {
  const total = b.total - a.total || 1;
  const pct = (x: number) => Math.round((x / total) * 1000) / 10;
  return { busyPct: pct(total - (b.idle - a.idle) - (b.steal - a.steal)), stealPct: pct(b.steal - a.steal) };
}
