/** Request and response schemas of the inventory operations endpoints (`/v1/ops/inventory`, `/v1/ops/jobs`). */
import { LOCATIONS, RESERVATION_STATUSES } from '../db-enums';
import { MAX_SYNC_ROWS } from '../inventory-sync';
import { singleLine, z } from './common';

const MAX_INT4 = 2_147_483_647;

export const SkuSchema = singleLine().min(1).max(100).openapi({ example: 'SKU-000123' });
export const LocationIdSchema = z.enum(LOCATIONS).openapi({ description: 'Warehouse location' });
const OnHandSchema = z.number().int().min(0).max(MAX_INT4).openapi({ description: 'Units physically on hand' });

export const SkuParamsSchema = z.strictObject({ sku: SkuSchema });

const LocationLevelSchema = z.object({
  locationId: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
});

const HeldReservationSchema = z.object({
  orderId: z.string(),
  locationId: z.string(),
  quantity: z.number().int(),
  status: z.enum(RESERVATION_STATUSES),
  expiresAt: z.string().openapi({ format: 'date-time' }),
});

export const InventoryViewSchema = z
  .object({
    sku: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int().openapi({ description: 'onHand − reserved, across locations' }),
    locations: z.array(LocationLevelSchema),
    reservations: z
      .array(HeldReservationSchema)
      .openapi({ description: 'Held reservations, soonest expiry first (at most 1000; see reservationCount)' }),
    reservationCount: z.number().int().openapi({ description: 'How many reservations are held in total' }),
  })
  .openapi('InventoryView');
export type InventoryView = z.infer<typeof InventoryViewSchema>;

export const SetStockBodySchema = z
  .strictObject({
    onHand: OnHandSchema,
    locationId: LocationIdSchema.optional().openapi({
      description:
        'Defaults to the sku’s only location, or the first warehouse when it has none; required when the sku is stocked at several.',
    }),
  })
  .openapi('SetStock', { example: { onHand: 120, locationId: 'wh-east' } });
export type SetStockBody = z.infer<typeof SetStockBodySchema>;

export const SyncItemSchema = z.strictObject({ sku: SkuSchema, onHand: OnHandSchema, locationId: LocationIdSchema.optional() });
export type SyncItem = z.infer<typeof SyncItemSchema>;

export const SyncBodySchema = z.strictObject({ items: z.array(SyncItemSchema).min(1).max(MAX_SYNC_ROWS) }).openapi('InventorySync', {
  description: `Up to ${MAX_SYNC_ROWS} rows; a body up to 16 MB is accepted`,
  example: {
    items: [
      { sku: 'KTL-1001', onHand: 120, locationId: 'wh-east' },
      { sku: 'KTL-1002', onHand: 0 },
    ],
  },
});

export const JobAcceptedSchema = z.object({ jobId: z.string() }).openapi('JobAccepted');

export const JobParamsSchema = z.strictObject({ jobId: singleLine().min(1).max(100) });

export const JobSchema = z
  .object({
    jobId: z.string(),
    type: z.string().openapi({ example: 'inventorySync' }),
    status: z.enum(['running', 'completed', 'failed']),
    total: z.number().int(),
    processed: z.number().int(),
    applied: z.number().int(),
    unchanged: z.number().int().openapi({ description: 'Rows that already matched' }),
    rejectedCount: z.number().int(),
    rejected: z
      .array(z.object({ index: z.number().int(), sku: z.string(), reason: z.string() }))
      .openapi({ description: 'Rejected rows (first 1000 by index): unknown_sku, location_required, below_reserved' }),
    startedAt: z.string().openapi({ format: 'date-time' }),
    finishedAt: z.string().optional().openapi({ format: 'date-time' }),
  })
  .openapi('Job');
export type Job = z.infer<typeof JobSchema>;
