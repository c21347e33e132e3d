/** What every benchmark shares. */

/**
 * The p-th percentile of ascending `sorted` values, by the nearest-rank definition: the smallest
 * value with at least p% of the values at or below it (rank ⌈p/100 · n⌉, 1-based). NaN when empty
 * (printed as null in the JSON lines).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}
