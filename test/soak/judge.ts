/**
 * `tsx test/soak/judge.ts .data/soak/<run>/samples.jsonl [warm-up minutes]`: the verdict of a
 * finished run under the current rules (verdict.ts) — for a run made before a rule changed, or to
 * read a run again without its stack.
 */
import { readFileSync } from 'node:fs';
import { type Sample, verdict, warmupMinutesFor } from './verdict';

const [file, warmup] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx test/soak/judge.ts <samples.jsonl> [warm-up minutes, default as the run]');
  process.exit(2);
}
const samples = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.includes('"routes"'))
  .map((line) => JSON.parse(line) as Sample);
const v = verdict(samples, warmup ? Number(warmup) : warmupMinutesFor(samples.length));
console.log(JSON.stringify(v));
console.log(v.summary);
