/**
 * Closed sets of values stored in Postgres columns (enforced there by CHECK constraints).
 * The tuples are the single source: types, zod enums and the migration's CHECKs derive from them.
 */
export const ORDER_STATUSES = ['placed', 'confirmed', 'shipped', 'delivered', 'cancelled', 'failed'] as const;
export type OrderStatusValue = (typeof ORDER_STATUSES)[number];

export const RESERVATION_STATUSES = ['held', 'committed', 'released'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const MOVEMENT_REASONS = ['reserve', 'release', 'commit', 'adjust', 'sync'] as const;
/**
 * Added by migration 0050 (returned units back on hand). Kept out of MOVEMENT_REASONS, which
 * migration 0001 builds its CHECK from: a landed migration must create what it created then.
 */
export const RETURN_MOVEMENT_REASON = 'return' as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number] | typeof RETURN_MOVEMENT_REASON;

export const RETURN_STATUSES = ['requested', 'approved', 'in_transit', 'received', 'refunded', 'rejected', 'failed'] as const;
export type ReturnStatusValue = (typeof RETURN_STATUSES)[number];

export const RETURN_CONDITIONS = ['resellable', 'damaged'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

export const OUTBOX_TOPICS = ['product', 'stock'] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

export const LOCATIONS = ['wh-east', 'wh-central', 'wh-west'] as const;
