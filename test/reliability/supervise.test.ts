/**
 * `npm run dev` restarts a crashed process with backoff instead of stopping the stack (issue 13).
 * Real processes, really killed with SIGKILL.
 */
import { startProcess } from '../../stack/processes';
import { supervise } from '../../stack/supervise';

const sleeper = () => startProcess('sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);

test('a SIGKILLed process comes back after a growing backoff, logged; stop() ends it for good', async () => {
  const logs: string[] = [];
  const p = supervise('sleeper', sleeper, { log: (m) => logs.push(m), initialDelayMs: 200, maxDelayMs: 1_000 });
  try {
    const pids = [p.current().child.pid];
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const next = p.nextStart();
      const killedAt = Date.now();
      process.kill(p.current().child.pid as number, 'SIGKILL');
      const fresh = await next;
      times.push(Date.now() - killedAt);
      pids.push(fresh.child.pid);
    }
    expect(new Set(pids).size).toBe(4);
    expect(p.restarts()).toBe(3);
    // 200, 400, 800 ms backoff
    expect(times[0]).toBeGreaterThanOrEqual(190);
    expect(times[1]).toBeGreaterThanOrEqual(390);
    expect(times[2]).toBeGreaterThanOrEqual(790);
    expect(logs.filter((l) => /sleeper exited \(signal SIGKILL\).*Restarting in/.test(l))).toHaveLength(3);
    expect(logs.filter((l) => /sleeper restarted \(restart \d/.test(l))).toHaveLength(3);
  } finally {
    await p.stop();
  }
  const last = p.current();
  expect(last.child.signalCode).toBe('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  expect(p.current()).toBe(last); // not restarted after stop()
  expect(p.restarts()).toBe(3);
});

test('a process that exits on its own is restarted too', async () => {
  const logs: string[] = [];
  let starts = 0;
  const p = supervise(
    'crasher',
    () => {
      starts++;
      return starts < 3 ? startProcess('crasher', process.execPath, ['-e', 'process.exit(3)']) : sleeper();
    },
    { log: (m) => logs.push(m), initialDelayMs: 50 },
  );
  try {
    for (let i = 0; i < 100 && starts < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(starts).toBe(3);
    expect(logs[0]).toMatch(/crasher exited \(code 3\)/);
  } finally {
    await p.stop();
  }
});
