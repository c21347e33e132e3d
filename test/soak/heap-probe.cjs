/**
 * Soak heap probe, preloaded into the stack's Node processes by the soak runner only
 * (`NODE_OPTIONS=--require …/heap-probe.cjs` with SOAK_HEAP_DIR set; without it this file does
 * nothing). Every 5 s each thread — the main thread and worker threads alike (the Temporal
 * worker runs workflows in a worker thread, whose heap the main thread cannot see on Node 20) —
 * writes `<pid>-<threadId>.json` into SOAK_HEAP_DIR: heapUsed, heapTotal, external,
 * arrayBuffers, and `heapAfterGcMb`, heapUsed read right after the latest major GC. That last one
 * is the leak signal: RSS and plain heapUsed move with V8's heap sizing and with garbage not yet
 * collected; what survives a full collection only grows if something keeps references.
 * Plain CommonJS because it loads before tsx does.
 */
'use strict';
const dir = process.env.SOAK_HEAP_DIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const { PerformanceObserver, constants } = require('node:perf_hooks');
  const { threadId } = require('node:worker_threads');
  const mb = (b) => Math.round((b / 1048576) * 10) / 10;
  let heapAfterGc = null;
  let majorGcs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if ((e.detail?.kind ?? e.kind) === constants.NODE_PERFORMANCE_GC_MAJOR) {
        majorGcs++;
        heapAfterGc = process.memoryUsage().heapUsed;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const file = path.join(dir, `${process.pid}-${threadId}.json`);
  setInterval(() => {
    const m = process.memoryUsage();
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
    };
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(row));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // the run directory is gone (the soak ended): nothing to report to
    }
  }, 5_000).unref();
}
