/**
 * Saved workflow histories for replay tests. `RECORD_HISTORIES=1 npx jest test/shipping` rewrites
 * them from the integration tests' real runs; normally the tests only read them.
 *
 * Stored as the History protobuf, base64 in a small JSON wrapper: this install carries two copies
 * of protobufjs (under @temporalio/common and @temporalio/proto), which breaks the SDK's
 * proto-JSON helpers (historyToJSON / historyFromJSON: "type must be a Type"); the binary codec of
 * @temporalio/proto round-trips exactly.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORIES_DIR = path.join(__dirname, '..', 'histories');

interface SavedHistory {
  workflowId: string;
  workflowType: string;
  format: 'temporal.api.history.v1.History/protobuf+base64';
  data: string;
}

export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  await handle.result(); // a closed run: the whole history
  const history = await handle.fetchHistory();
  const description = await handle.describe();
  const saved: SavedHistory = {
    workflowId: handle.workflowId,
    workflowType: description.type,
    format: 'temporal.api.history.v1.History/protobuf+base64',
    data: Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('base64'),
  };
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(saved, null, 2)}\n`);
}

export function savedHistories(prefix: string) {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => {
      const saved = JSON.parse(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as SavedHistory;
      return { workflowId: saved.workflowId, history: temporal.api.history.v1.History.decode(Buffer.from(saved.data, 'base64')) };
    });
}
