/**
 * The payment sandbox's memory on disk: one JSON line per state change (an answered request with
 * the ledger entries and authorization/capture states it produced), appended before the answer
 * goes out. Append-only, so a crash can at worst tear the last line, which loading skips — the
 * request it belonged to was never answered, and its retry (same Idempotency-Key) runs again.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface JournalLine<Entry, Auth, Cap, Reply> {
  reply?: { slot: string; stored: Reply };
  ledger?: Entry[];
  authorizations?: Auth[];
  captures?: Cap[];
  attempts?: Array<[string, number]>;
}

export interface Journal<Entry, Auth, Cap, Reply> {
  /** Every complete line in the file, oldest first. */
  load(): JournalLine<Entry, Auth, Cap, Reply>[];
  append(line: JournalLine<Entry, Auth, Cap, Reply>): void;
  /** Forgets everything (the sandbox's `reset`). */
  truncate(): void;
}

export function openJournal<Entry, Auth, Cap, Reply>(file: string): Journal<Entry, Auth, Cap, Reply> {
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) closeSync(openSync(file, 'a'));
  return {
    load() {
      const out: JournalLine<Entry, Auth, Cap, Reply>[] = [];
      for (const raw of readFileSync(file, 'utf8').split('\n')) {
        if (!raw.trim()) continue;
        try {
          out.push(JSON.parse(raw) as JournalLine<Entry, Auth, Cap, Reply>);
        } catch {
          // A line torn by a crash mid-write: its request was never answered, so nothing is lost.
        }
      }
      return out;
    },
    append(line) {
      // Synchronous on purpose: the answer must not leave before its record is on disk. The
      // leading newline closes a torn line a crash may have left, so this one parses.
      appendFileSync(file, `\n${JSON.stringify(line)}`);
    },
    truncate() {
      writeFileSync(file, '');
    },
  };
}
