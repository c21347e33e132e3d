/**
 * Bulk stock sync jobs: pure types shared by the inventorySync workflow, its activity and the
 * jobs endpoint. Rows are staged in Postgres (`sync_job_rows`) by the API; only ranges and
 * counters travel through workflow history.
 */

/** Why a sync row (or an adjustment) was not applied. Stable machine strings. */
export const SYNC_REJECT_REASONS = ['unknown_sku', 'location_required', 'below_reserved'] as const;
export type SyncRejectReason = (typeof SYNC_REJECT_REASONS)[number];

export interface SyncRejectedRow {
  /** Index of the row in the request's `items`. */
  index: number;
  sku: string;
  reason: string;
}

/** At most this many rejected rows are carried in progress and results (counts are exact). */
export const MAX_REPORTED_REJECTED = 1_000;
/** Largest bulk sync accepted in one request. */
export const MAX_SYNC_ROWS = 100_000;

export interface InventorySyncInput {
  jobId: string;
  total: number;
  /** Rows per transaction; small enough that hot rows stay locked for milliseconds. */
  batchSize: number;
}

export interface InventorySyncProgress {
  jobId: string;
  total: number;
  processed: number;
  applied: number;
  unchanged: number;
  rejectedCount: number;
  /** The first MAX_REPORTED_REJECTED rejected rows, by index. */
  rejected: SyncRejectedRow[];
  startedAt: string;
  finishedAt?: string;
}

export interface SyncBatchResult {
  processed: number;
  applied: number;
  unchanged: number;
  rejectedCount: number;
  rejected: SyncRejectedRow[];
}
