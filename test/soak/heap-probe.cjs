/**
 * Soak heap probe, preloaded into the stack's Node processes by the soak runner only
 * (`NODE_OPTIONS=--require …/heap-probe.cjs` with SOAK_HEAP_DIR set; without it this file does
 * nothing). Every 5 s each thread — the main thread and worker threads alike (the Temporal
 * worker runs workflows in a worker thread, whose heap the main thread cannot see on Node 20) —
 * writes `<pid>-<threadId>.json` into SOAK_HEAP_DIR: heapUsed, heapTotal, external,
 * arrayBuffers, and `heapAfterGcMb`, heapUsed read right after the latest major GC. That last one
 * is the leak signal: RSS and plain heapUsed move with V8's heap sizing and with garbage not yet
 * collected; what survives a full collection only grows if something keeps references. Also, over
 * the last minute (the soak samples once a minute): the longest event-loop delay and the longest
 * and total GC pause, and which kind of GC the longest was (minor = scavenge of the young
 * generation, major = mark-compact, incremental, weakcb) — what a latency tail lines up with when
 * the thread itself stalls, and which V8 setting could shorten it.
 * Plain CommonJS because it loads before tsx does.
 */
'use strict';
const dir = process.env.SOAK_HEAP_DIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const { PerformanceObserver, constants, monitorEventLoopDelay } = require('node:perf_hooks');
  const { threadId } = require('node:worker_threads');
  const mb = (b) => Math.round((b / 1048576) * 10) / 10;
  let heapAfterGc = null;
  let majorGcs = 0;
  // Per 5-second slot, the last 12 kept: loop delay max, GC pause max and total (ms).
  const slots = [];
  const newSlot = () => ({ loopMaxMs: 0, gcMaxMs: 0, gcMaxKind: null, gcTotalMs: 0 });
  let slot = newSlot();
  const GC_KINDS = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = e.detail?.kind ?? e.kind;
      if (e.duration > slot.gcMaxMs) {
        slot.gcMaxMs = e.duration;
        slot.gcMaxKind = GC_KINDS[kind] ?? String(kind);
      }
      slot.gcTotalMs += e.duration;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        majorGcs++;
        heapAfterGc = process.memoryUsage().heapUsed;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const lastMinute = (pick) => Math.round(slots.reduce((m, x) => pick(m, x), 0) * 10) / 10;
  const file = path.join(dir, `${process.pid}-${threadId}.json`);
  setInterval(() => {
    slot.loopMaxMs = loop.max / 1e6;
    loop.reset();
    slots.push(slot);
    if (slots.length > 12) slots.shift();
    slot = newSlot();
    const m = process.memoryUsage();
    const longest = slots.reduce((a, x) => (x.gcMaxMs > a.gcMaxMs ? x : a), newSlot());
    const row = {
      pid: process.pid,
      threadId,
      at: Date.now(),
      script: process.argv[1] ?? null,
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      arrayBuffersMb: mb(m.arrayBuffers),
      heapAfterGcMb: heapAfterGc === null ? null : mb(heapAfterGc),
      majorGcs,
      loopDelayMaxMs: lastMinute((a, x) => Math.max(a, x.loopMaxMs)),
      gcPauseMaxMs: Math.round(longest.gcMaxMs * 10) / 10,
      gcPauseTotalMs: lastMinute((a, x) => a + x.gcTotalMs),
      gcPauseMaxKind: longest.gcMaxKind,
    };
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(row));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // the run directory is gone (the soak ended): nothing to report to
    }
  }, 5_000).unref();
}
