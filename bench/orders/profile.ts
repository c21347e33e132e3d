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
