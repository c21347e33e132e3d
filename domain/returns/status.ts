/**
 * The return status graph (pure):
 *
 *   requested → approved → in_transit → received → refunded
 *       │          │           │           │
 *       └──────────┴──► rejected           └──► failed (the refund ran out of retries) ──► received (support retry)
 *   approved → received too (ops may receive a parcel the carrier never scanned).
 */
import type { ReturnStatus } from './types';

export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, readonly ReturnStatus[]>> = {
  requested: ['approved', 'rejected'],
  approved: ['in_transit', 'received', 'rejected'],
  in_transit: ['received'],
  received: ['refunded', 'failed'],
  failed: ['received', 'refunded'],
  refunded: [],
  rejected: [],
};

export function canReturnMove(from: ReturnStatus, to: ReturnStatus): boolean {
  return RETURN_TRANSITIONS[from].includes(to);
}

export const isReturnClosed = (s: ReturnStatus) => RETURN_TRANSITIONS[s].length === 0;
