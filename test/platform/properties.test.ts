/**
 * Property tests (fast-check) for the pure rules the hostile-input work leans on: the search
 * filter builder, the cursor codecs, money arithmetic, the order status graph and the shared
 * input-string rule.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { OrderPosition } from '../../api/orders/list';
import { CursorTimestampSchema, decodeCursor, encodeCursor } from '../../domain/cursor';
import { MAX_AMOUNT, multiplyAmount, sumAmounts } from '../../domain/money';
import {
  canTransition,
  isCancellable,
  isTerminal,
  MANUAL_TARGETS,
  manualTransitionError,
  ORDER_STATUSES,
  type OrderStatus,
  TRANSITIONS,
} from '../../domain/orders/status';
import { findUnsafeText, unsafeTextReason } from '../../domain/schemas/common';
import { buildFilter, quoteFilterValue } from '../../search/filters';

/** Reads one Meilisearch string literal starting at `i`; returns its value and the index after it. */
function readLiteral(s: string, i: number): { value: string; end: number } {
  if (s[i] !== '"') throw new Error(`no literal at ${i}`);
  let value = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j] as string;
    if (c === '\\') {
      value += s[j + 1];
      j++;
    } else if (c === '"') return { value, end: j + 1 };
    else value += c;
  }
  throw new Error('unterminated literal');
}

describe('search filter builder', () => {
  test('a quoted value is one literal that reads back as the value, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (v) => {
        const q = quoteFilterValue(v);
        const { value, end } = readLiteral(q, 0);
        expect(value).toBe(v);
        expect(end).toBe(q.length);
      }),
    );
  });

  test('category/brand clauses hold exactly the distinct values, each as its own literal', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 6 }), (values) => {
        const [clause] = buildFilter({ category: values }) ?? [];
        expect(clause?.startsWith('category IN [')).toBe(true);
        const read: string[] = [];
        let i = 'category IN ['.length;
        while ((clause as string)[i] === '"') {
          const lit = readLiteral(clause as string, i);
          read.push(lit.value);
          i = lit.end;
          if ((clause as string).startsWith(', ', i)) i += 2;
        }
        expect((clause as string).slice(i)).toBe(']');
        expect(read).toEqual([...new Set(values)]);
      }),
    );
  });

  test('prices are written as integers and only integers are accepted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AMOUNT }), fc.integer({ min: 0, max: MAX_AMOUNT }), (lo, hi) => {
        expect(buildFilter({ minPrice: lo, maxPrice: hi })).toEqual([`price ${lo} TO ${hi}`]);
        expect(buildFilter({ minPrice: lo })).toEqual([`price >= ${lo}`]);
        expect(buildFilter({ maxPrice: hi })).toEqual([`price <= ${hi}`]);
      }),
    );
    fc.assert(
      fc.property(fc.double({ noInteger: true }), (x) => {
        expect(() => buildFilter({ minPrice: x })).toThrow(TypeError);
      }),
    );
  });
});

describe('cursor codecs', () => {
  const Position = z.object({ id: z.string(), n: z.number().int() });

  test('encode → decode is the identity for every position', () => {
    fc.assert(
      fc.property(fc.record({ id: fc.string(), n: fc.integer() }), (p) => {
        expect(decodeCursor(encodeCursor(p), Position)).toEqual(p);
      }),
    );
  });

  test('any string decodes to a valid position or to undefined, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (s) => {
          const out = decodeCursor(s, Position);
          if (out !== undefined) expect(Position.safeParse(out).success).toBe(true);
        },
      ),
    );
  });

  test('order cursors: round trip for real times; any other string decodes to nothing (a 400), never an exception', () => {
    const times = fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().replace('Z', '000Z'));
    fc.assert(
      fc.property(times, fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), (createdAt, id) => {
        expect(decodeCursor(encodeCursor([createdAt, id]), OrderPosition)).toEqual([createdAt, id]);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(fc.string(), fc.string()).map((t) => Buffer.from(JSON.stringify(t)).toString('base64url')),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (s) => {
          const position = decodeCursor(s, OrderPosition);
          if (position) expect(CursorTimestampSchema.safeParse(position[0]).success).toBe(true);
        },
      ),
    );
  });

  test('the order cursor time is what Postgres reads: "1", year 0 and Feb 30 are refused', () => {
    for (const bad of ['1', '0000-01-01T00:00:00.000000Z', '2025-02-30T00:00:00.000000Z', '2025-01-01T24:00:00Z', '2025-01-01']) {
      expect(CursorTimestampSchema.safeParse(bad).success).toBe(false);
    }
    expect(CursorTimestampSchema.safeParse('2024-02-29T23:59:59.999999Z').success).toBe(true);
  });
});

describe('money', () => {
  const amount = fc.integer({ min: 0, max: MAX_AMOUNT });

  test('multiplyAmount is exact, and undefined exactly when the product is not an amount', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 100_000 }), (unit, qty) => {
        const exact = BigInt(unit) * BigInt(qty);
        const got = multiplyAmount(unit, qty);
        if (exact > BigInt(MAX_AMOUNT)) expect(got).toBeUndefined();
        else expect(got).toBe(Number(exact));
      }),
    );
  });

  test('sumAmounts is exact, and undefined exactly when the sum (or a term) is not an amount', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(amount, fc.integer({ min: -5, max: -1 }), fc.constant(0.5)), { maxLength: 20 }), (xs) => {
        const valid = xs.every((x) => Number.isInteger(x) && x >= 0);
        const exact = xs.reduce((a, x) => a + BigInt(Math.trunc(x)), 0n);
        const got = sumAmounts(xs);
        if (!valid || exact > BigInt(MAX_AMOUNT)) expect(got).toBeUndefined();
        else expect(got).toBe(Number(exact));
      }),
    );
  });
});

describe('order status graph', () => {
  const status = fc.constantFrom(...ORDER_STATUSES);

  test('a walk along the graph from placed never leaves a terminal status, and every status is reachable', () => {
    const reached = new Set<OrderStatus>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (choices) => {
        let s: OrderStatus = 'placed';
        reached.add(s);
        for (const c of choices) {
          const next = TRANSITIONS[s];
          if (!next.length) {
            expect(isTerminal(s)).toBe(true);
            break;
          }
          const to = next[c % next.length] as OrderStatus;
          expect(canTransition(s, to)).toBe(true);
          s = to;
          reached.add(s);
        }
      }),
      { numRuns: 500 },
    );
    expect([...reached].sort()).toEqual([...ORDER_STATUSES].sort());
  });

  test('a manual transition allowed by hand is an edge of the graph to a manual target', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (manualTransitionError(from, to) === undefined) {
          expect(canTransition(from, to)).toBe(true);
          expect(MANUAL_TARGETS).toContain(to);
        }
      }),
    );
  });

  test('cancellable exactly when cancelled is a next status; nothing leaves delivered or cancelled', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        expect(isCancellable(from)).toBe(canTransition(from, 'cancelled'));
        if (from === 'delivered' || from === 'cancelled') expect(canTransition(from, to)).toBe(false);
      }),
    );
  });
});

describe('the shared input-string rule', () => {
  const reference = (s: string, multiline: boolean) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 && !(multiline && (c === 9 || c === 10))) return false;
      if (c >= 0xd800 && c <= 0xdbff) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
        else return false;
      } else if (c >= 0xdc00 && c <= 0xdfff) return false;
    }
    return true;
  };

  test('refuses exactly control characters (tab/newline only when multi-line) and lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.boolean(), (s, multiline) => {
        expect(unsafeTextReason(s, multiline) === undefined).toBe(reference(s, multiline));
      }),
      { numRuns: 2000 },
    );
  });

  test('findUnsafeText finds every bad value and key in any JSON, at most 50', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const found = findUnsafeText(v);
        expect(found.length).toBeLessThanOrEqual(50);
        const bad: string[] = [];
        const walk = (x: unknown) => {
          if (typeof x === 'string') {
            if (!reference(x, false)) bad.push(x);
          } else if (Array.isArray(x)) x.forEach(walk);
          else if (x && typeof x === 'object')
            for (const [k, c] of Object.entries(x)) {
              if (!reference(k, false)) bad.push(k);
              walk(c);
            }
        };
        walk(v);
        expect(found.length).toBe(Math.min(bad.length, 50));
      }),
    );
  });
});
