/** The soak's per-process CPU (proc-stats.ts): read from /proc for a process group and by command name. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { boxCpu, cpuSeconds, cpuShares } from './proc-stats';

/**
 * A child in its own process group (pgid = its pid) that spins until it has used `ms` of CPU, then
 * waits to be killed. CPU time, not wall time: on a busy machine a wall-clock spin gets less.
 */
async function spinner(ms: number) {
  const cpuMs = 'const u = process.cpuUsage(); return (u.user + u.system) / 1000;';
  const child = spawn(
    process.execPath,
    ['-e', `const used = () => { ${cpuMs} }; while (used() < ${ms}); console.log('done'); setInterval(() => {}, 1000);`],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await once(child.stdout, 'data');
  return child;
}

describe('cpuSeconds', () => {
  it('counts the CPU a process group used, and nothing for a group that does not exist', async () => {
    const child = await spinner(400);
    try {
      const pgid = child.pid as number;
      const used = cpuSeconds({ spinner: { pgid }, none: { pgid: 2 ** 22 + 7 } });
      expect(used.spinner).toBeGreaterThanOrEqual(0.3);
      expect(used.spinner).toBeLessThan(5);
      expect(used.none).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('sums every process of one command name', async () => {
    const a = await spinner(250);
    const b = await spinner(250);
    try {
      const own = cpuSeconds({ a: { pgid: a.pid as number }, b: { pgid: b.pid as number } });
      const byName = cpuSeconds({ node: { comm: 'node' } });
      expect(byName.node).toBeGreaterThanOrEqual((own.a ?? 0) + (own.b ?? 0));
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });
});

describe('cpuShares', () => {
  it('gives busy and stolen shares in percent between two readings', () => {
    const shares = cpuShares({ total: 1000, idle: 500, steal: 0 }, { total: 2000, idle: 1200, steal: 50 });
    // 1000 jiffies: 700 idle, 50 stolen, 250 busy
    expect(shares).toEqual({ busyPct: 25, stealPct: 5 });
    const now = boxCpu();
    expect(now.total).toBeGreaterThan(now.idle);
  });
});
