/** Resident memory of a process group (a stack process and its children, e.g. tsx → node), from /proc. */
import { readdirSync, readFileSync } from 'node:fs';

export function groupRssMb(pgid: number): number {
  let kb = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, inside parentheses).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      kb += Number(rss ?? 0);
    } catch {
      // the process ended while we read
    }
  }
  return Math.round((kb / 1024) * 10) / 10;
}
