/**
 * The seed's source of randomness: one dedicated Faker instance (English words) re-seeded for every
 * product with `[catalogSeed, n]`, so product n is the same whatever batch or order it is made in.
 *
 * Faker's default Mersenne Twister costs ~30 µs per re-seed (3 s per 100k products), so the instance
 * runs on a small counter-free PRNG (sfc32, seeded through a splitmix32 hash of the seed parts) that
 * re-seeds in well under a microsecond. Faker's helpers and word lists work unchanged on top of it.
 */
import { base, en, Faker, type Randomizer } from '@faker-js/faker';

/** The catalog seed: change it and every generated product changes. */
export const CATALOG_SEED = 20_241_105;

function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit output scaled to [0, 1). */
export function createFastRandomizer(seed: number | number[] = 0): Randomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  const randomizer: Randomizer = {
    next,
    seed(value: number | number[]) {
      const parts = Array.isArray(value) ? value : [value];
      let state = 0x2545f491;
      let out = 0;
      for (const part of parts) {
        // Mix every part (integer and fraction) into the state.
        state = (state ^ (Math.trunc(part) | 0)) | 0;
        [state, out] = splitmix32(state);
        state = (state ^ Math.trunc((part % 1) * 4_294_967_296)) | 0;
        state = (state + out) | 0;
      }
      [state, a] = splitmix32(state);
      [state, b] = splitmix32(state);
      [state, c] = splitmix32(state);
      [state, d] = splitmix32(state);
      for (let i = 0; i < 12; i++) next();
    },
  };
  randomizer.seed(seed);
  return randomizer;
}

/** The seed's own Faker instance: never the shared `faker` singleton other code (and tests) use. */
export const seedFaker = new Faker({ locale: [en, base], randomizer: createFastRandomizer(CATALOG_SEED) });

/** Re-seeds the instance for one product (or one named list, for the brand catalogue). */
export function reseed(...parts: number[]): Faker {
  seedFaker.seed(parts);
  return seedFaker;
}

/** A standard normal variate (Box–Muller). */
export function normal(f: Faker): number {
  const u = 1 - f.number.float({ min: 0, max: 1 }); // (0, 1]
  const v = f.number.float({ min: 0, max: 1 });
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Picks by relative weight. */
export function weightedPick<T>(f: Faker, items: readonly T[], weight: (item: T) => number, total?: number): T {
  const sum = total ?? items.reduce((s, item) => s + weight(item), 0);
  let r = f.number.float({ min: 0, max: sum });
  for (const item of items) {
    r -= weight(item);
    if (r < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('weightedPick: empty list');
  return last;
}

/**
 * Picks with a popularity skew: early items are chosen far more often than late ones (a long tail,
 * like real brand sales), yet every item keeps a chance of at least ~1/(exponent·n).
 */
export function skewedPick<T>(f: Faker, items: readonly T[], exponent = 1.8): T {
  const r = f.number.float({ min: 0, max: 1 });
  const index = Math.min(items.length - 1, Math.floor(items.length * r ** exponent));
  const item = items[index];
  if (item === undefined) throw new Error('skewedPick: empty list');
  return item;
}

/** Integer in [min, max], log-uniform: small values are as likely per decade as large ones. */
export function logUniformInt(f: Faker, min: number, max: number): number {
  const x = Math.exp(f.number.float({ min: Math.log(min), max: Math.log(max) }));
  return Math.max(min, Math.min(max, Math.round(x)));
}

export function pick<T>(f: Faker, items: readonly T[]): T {
  return f.helpers.arrayElement(items);
}
