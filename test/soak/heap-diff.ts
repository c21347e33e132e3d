/**
 * `tsx test/soak/heap-diff.ts before.heapsnapshot after.heapsnapshot`: what grew between two V8
 * heap snapshots of one process (the soak takes them with SOAK_HEAP_SNAPSHOTS=1, after the
 * warm-up and at the end): count and self size per constructor (strings, arrays, code and the
 * like per type), sorted by growth. A leak shows as a constructor whose count grows with the
 * orders placed in between; V8 settling shows as code, feedback and system objects.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** self size and count per "type:name" (objects by constructor; strings, code, arrays by type). */
export function summarize(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType] as number] ?? '?';
    const key = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + iName] as number]}` : type;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + iSize] as number;
    out.set(key, e);
  }
  return out;
}

if (require.main === module) {
  const [a, b] = process.argv.slice(2);
  if (!a || !b) throw new Error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot');
  const before = summarize(a);
  const after = summarize(b);
  const rows = [...new Set([...before.keys(), ...after.keys()])].map((k) => {
    const x = before.get(k) ?? { count: 0, bytes: 0 };
    const y = after.get(k) ?? { count: 0, bytes: 0 };
    return { k, dCount: y.count - x.count, dKb: Math.round((y.bytes - x.bytes) / 1024), count: y.count, kb: Math.round(y.bytes / 1024) };
  });
  const total = (m: typeof before) => Math.round([...m.values()].reduce((s, e) => s + e.bytes, 0) / 1048576);
  console.log(`total self size ${total(before)} MB → ${total(after)} MB`);
  for (const r of rows.sort((p, q) => q.dKb - p.dKb).slice(0, 25))
    console.log(`${String(r.dKb).padStart(8)} KB ${String(r.dCount).padStart(8)} objs  ${r.k} (now ${r.count}, ${r.kb} KB)`);
}
