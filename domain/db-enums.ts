/**
 * Closed sets of values stored in Postgres columns (enforced there by CHECK constraints).
 * The tuples are the single source: types, zod enums and the migration's CHECKs derive from them.
 */
export const ORDER_STATUSES = ['placed', 'confirmed', 'shipped', 'delivered', 'cancelled', 'failed'] as const;
export type OrderStatusValue = (typeof ORDER_STATUSES)[number];

export const RESERVATION_STATUSES = ['held', 'committed', 'released'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const MOVEMENT_REASONS = ['reserve', 'release', 'commit', 'adjust', 'sync'] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export const OUTBOX_TOPICS = ['product', 'stock'] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

export const LOCATIONS = ['wh-east', 'wh-central', 'wh-west'] as const;
