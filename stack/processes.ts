/**
 * Child processes the stack owns: each in its own process group (so stopping it stops its
 * children too), output to a log file, stopped with SIGTERM then SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string | undefined;
  /** Resolves when the process has exited (for whatever reason). */
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; logDir?: string; inheritOutput?: boolean } = {},
): ManagedProcess {
  let logFile: string | undefined;
  let stdio: Array<'ignore' | 'pipe' | 'inherit'> = ['ignore', 'ignore', 'ignore'];
  if (opts.inheritOutput) stdio = ['ignore', 'inherit', 'inherit'];
  else if (opts.logDir) stdio = ['ignore', 'pipe', 'pipe'];
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio, detached: true });
  if (opts.logDir && !opts.inheritOutput) {
    mkdirSync(opts.logDir, { recursive: true });
    logFile = path.join(opts.logDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const stop = async (timeoutMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const group = -child.pid;
    try {
      process.kill(group, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // gone
      }
    }, timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, logFile, exited, stop };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `probe` until it returns true, or throws after `timeoutMs` naming `what`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, proc?: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc?.exited.then((c) => {
    exitCode = c;
  });
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    if (exitCode !== undefined) {
      throw new Error(`${what}: process exited with code ${exitCode}${proc?.logFile ? ` (see ${proc.logFile})` : ''}`);
    }
    await sleep(200);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms${proc?.logFile ? ` (see ${proc.logFile})` : ''}`);
}

export async function httpOk(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
