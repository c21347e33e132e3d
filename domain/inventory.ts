/** Stock reservation types shared by activities, workflows and the API (pure). */
import { z } from 'zod';

export const ReserveLineSchema = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });
export type ReserveLine = z.infer<typeof ReserveLineSchema>;

export const AllocationSchema = z.object({
  /** Index of the line in the request. */
  line: z.number().int().nonnegative().optional(),
  sku: z.string(),
  locationId: z.string(),
  quantity: z.number().int().positive(),
});
export type Allocation = z.infer<typeof AllocationSchema>;

export const ShortfallSchema = z.object({
  /** Index of the line in the request as the caller sent it. */
  index: z.number().int().nonnegative(),
  sku: z.string(),
  requested: z.number().int(),
  available: z.number().int(),
});
export type Shortfall = z.infer<typeof ShortfallSchema>;

export type ReserveResult = { ok: true; alreadyReserved: boolean; allocations: Allocation[] } | { ok: false; shortfalls: Shortfall[] };

/**
 * Lines sorted by sku (the lock order that keeps concurrent multi-line reservations deadlock
 * free), with duplicates merged, remembering each sku's original line index.
 */
export function normalizeLines(lines: readonly ReserveLine[]): Array<ReserveLine & { index: number }> {
  const bySku = new Map<string, ReserveLine & { index: number }>();
  lines.forEach((l, index) => {
    const prev = bySku.get(l.sku);
    if (prev) prev.quantity += l.quantity;
    else bySku.set(l.sku, { sku: l.sku, quantity: l.quantity, index });
  });
  return [...bySku.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}
