/**
 * Counts the SQL statements this process's pg clients send (BEGIN and COMMIT included): the
 * statement-budget tests (test/orders/*-statements.test.ts) wrap `pg.Client.prototype.query` for
 * their file and read what a piece of work sent.
 */
import pg from 'pg';

export interface StatementCounter {
  /** The statements `fn` sent (whitespace folded, cut at 100 characters). */
  during(fn: () => Promise<unknown>): Promise<string[]>;
  /** Puts pg's own `query` back. */
  restore(): void;
}

export function countStatements(): StatementCounter {
  const originalQuery = pg.Client.prototype.query;
  let seen: string[] | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only counts and forwards
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (seen && text) seen.push(text.replace(/\s+/g, ' ').slice(0, 100));
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return (originalQuery as any).apply(this, args);
  };
  return {
    async during(fn) {
      const mine: string[] = [];
      seen = mine;
      try {
        await fn();
      } finally {
        seen = undefined;
      }
      return mine;
    },
    restore() {
      pg.Client.prototype.query = originalQuery;
    },
  };
}
