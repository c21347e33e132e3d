/**
 * Where the synchronous answer's time goes, read from an order's history: the first workflow task
 * runs the whole path to `confirmed` (local activities, markers), so the time between the task's
 * events and the markers' completion times is the time of each step. Event times are the
 * server's clock, marker times the worker's: both are this machine's clock in the benchmark.
 */
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type Ts = { seconds?: unknown; nanos?: unknown } | null | undefined;

const ms = (t: Ts): number | undefined => (t ? Number(t.seconds ?? 0) * 1000 + Number(t.nanos ?? 0) / 1e6 : undefined);

/** Milliseconds per segment of the first workflow task: queue wait, each local activity, completion. */
export function firstTaskTimeline(history: History): Record<string, number> | undefined {
  const events = history.events ?? [];
  const at = (type: string) => events.find((e) => name(e.eventType) === type);
  const started = ms(at('WORKFLOW_EXECUTION_STARTED')?.eventTime);
  const taskStarted = ms(at('WORKFLOW_TASK_STARTED')?.eventTime);
  const taskCompleted = ms(at('WORKFLOW_TASK_COMPLETED')?.eventTime);
  if (started === undefined || taskStarted === undefined || taskCompleted === undefined) return undefined;
  const out: Record<string, number> = { 'task-queue-wait': taskStarted - started };
  let prev = taskStarted;
  // the first task's commands: the events after its WORKFLOW_TASK_COMPLETED, up to the next task
  const first = events.findIndex((e) => name(e.eventType) === 'WORKFLOW_TASK_COMPLETED');
  const next = events.findIndex((e, i) => i > first && name(e.eventType) === 'WORKFLOW_TASK_SCHEDULED');
  for (const e of events.slice(first + 1, next < 0 ? undefined : next)) {
    const m = e.markerRecordedEventAttributes;
    if (m?.markerName !== 'core_local_activity') continue;
    const data = m.details?.data?.payloads?.[0]?.data;
    if (!data) continue;
    const marker = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; complete_time?: Ts };
    const done = ms(marker.complete_time);
    if (done === undefined) continue;
    const key = `la:${marker.activity_type ?? '?'}`;
    out[key] = (out[key] ?? 0) + (done - prev);
    prev = done;
  }
  out['task-completion'] = taskCompleted - prev;
  return out;
}

/** fetchHistory() gives the enum's number, the saved JSON its name. */
function name(t: unknown): string {
  const names: Record<number, string> = {
    1: 'WORKFLOW_EXECUTION_STARTED',
    5: 'WORKFLOW_TASK_SCHEDULED',
    6: 'WORKFLOW_TASK_STARTED',
    7: 'WORKFLOW_TASK_COMPLETED',
  };
  return typeof t === 'number' ? (names[t] ?? String(t)) : String(t).replace(/^EVENT_TYPE_/, '');
}

/** Median of each segment over several orders. */
export function medianTimeline(timelines: Array<Record<string, number> | undefined>): Record<string, number> {
  const keys = new Set(timelines.flatMap((t) => (t ? Object.keys(t) : [])));
  const out: Record<string, number> = {};
  for (const k of keys) {
    const v = timelines
      .map((t) => t?.[k])
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    out[k] = Math.round((v[Math.floor(v.length / 2)] ?? 0) * 10) / 10;
  }
  return out;
}
