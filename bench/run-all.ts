/**
 * `npm run bench`: every benchmark in turn (each prints JSON lines, one per result). Run them on
 * an otherwise idle machine: they share its cores with the load generator.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHES = ['catalog', 'search', 'inventory', 'shipping', 'orders'];
const only = process.argv.slice(2);
let failed = 0;
for (const name of only.length ? only : BENCHES) {
  process.stderr.write(`\n# bench:${name}\n`);
  const r = spawnSync('npm', ['run', '--silent', `bench:${name}`], { stdio: 'inherit', cwd: path.resolve(__dirname, '..') });
  if (r.status !== 0) {
    failed += 1;
    process.stderr.write(`# bench:${name} exited with ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
