/**
 * `npm run bench:compare -- <before-dir> <after-dir> <bench> [rounds]`: one benchmark of two
 * checkouts of this project, in one run, rounds alternating (before, after, after, before, …) so
 * both sample the same background noise of a shared machine. Every JSON line the bench prints is
 * passed through with `tree` and `round` added; at the end one `compare` line per case and numeric
 * field gives each side's range and the ratio of the medians (after ÷ before).
 *
 * Example: `npm run bench:compare -- ../before . catalog 3` (the before checkout needs its own
 * node_modules; `git worktree add` + `cp -al node_modules` is enough).
 *
 * Both checkouts use the bench's fixed database (cathay_bench_<bench>); the newer one's migrations
 * are unknown to the older one (Kysely refuses that), so the database is dropped before each run
 * (BENCH_COMPARE_KEEP_DB=1 keeps it, for two checkouts with the same migrations).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { inTurn, median } from './support';

type Line = Record<string, unknown>;

const [beforeDir, afterDir, bench, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir || !bench) {
  process.stderr.write('usage: bench:compare <before-dir> <after-dir> <bench> [rounds]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 2);
const trees = { before: path.resolve(beforeDir), after: path.resolve(afterDir) } as const;
type Tree = keyof typeof trees;

/** A fresh database per run (see above); psql from the machine, the same server the benches use. */
function dropBenchDatabase(): void {
  if (process.env.BENCH_COMPARE_KEEP_DB === '1') return;
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  const r = spawnSync('psql', [url.toString(), '-qc', `DROP DATABASE IF EXISTS cathay_bench_${bench} WITH (FORCE)`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not drop cathay_bench_${bench}`);
}

function runOnce(tree: Tree, round: number): Line[] {
  dropBenchDatabase();
  const load = loadavg()[0] ?? 0;
  process.stderr.write(`# ${bench} round ${round} ${tree} (${trees[tree]}), loadavg ${load.toFixed(1)}\n`);
  const r = spawnSync('npm', ['run', '--silent', `bench:${bench}`], {
    cwd: trees[tree],
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench:${bench} in ${trees[tree]} exited with ${r.status}`);
  const lines: Line[] = [];
  for (const text of r.stdout.split('\n')) {
    if (!text.startsWith('{')) continue;
    const line = { ...(JSON.parse(text) as Line), tree, round, loadavgAtStart: Math.round(load * 10) / 10 };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    lines.push(line);
  }
  return lines;
}

/** A result is identified by its case and, where a bench runs several levels, its connections. */
function key(line: Line): string {
  return [line.case, line.connections ?? line.clients ?? ''].join('@');
}

function summarize(all: Line[]): void {
  const groups = new Map<string, Record<Tree, Line[]>>();
  for (const line of all) {
    const g = groups.get(key(line)) ?? { before: [], after: [] };
    g[line.tree as Tree].push(line);
    groups.set(key(line), g);
  }
  for (const [k, g] of groups) {
    if (!g.before.length || !g.after.length) continue;
    const fields = Object.keys(g.after[0]!).filter(
      (f) => typeof g.after[0]![f] === 'number' && !['round', 'loadavgAtStart', 'loadavg1m', 'connections'].includes(f),
    );
    for (const f of fields) {
      const b = g.before.map((l) => l[f]).filter((v): v is number => typeof v === 'number');
      const a = g.after.map((l) => l[f]).filter((v): v is number => typeof v === 'number');
      if (!b.length || !a.length) continue;
      const ratio = median(a) / median(b);
      process.stdout.write(
        `${JSON.stringify({
          bench: 'compare',
          of: bench,
          case: k,
          field: f,
          before: [Math.min(...b), Math.max(...b)],
          after: [Math.min(...a), Math.max(...a)],
          ratio: Number.isFinite(ratio) ? Math.round(ratio * 1000) / 1000 : null,
        })}\n`,
      );
    }
  }
}

const all: Line[] = [];
for (let round = 0; round < rounds; round++)
  for (const tree of inTurn(round, ['before', 'after'] as const)) all.push(...runOnce(tree, round));
summarize(all);
