/**
 * Booking a shipment, idempotently: the booking key (derived by the order workflow from its id and
 * step) is both the carrier's Idempotency-Key and the unique `shipments.booking_key`. A retry after
 * a crash — before or after the carrier answered, before or after the row was written — finds the
 * first label; the carrier never books twice.
 */
import { Context } from '@temporalio/activity';
import type { ShipmentRow } from '../../db/database';
import { findShipmentByBookingKey, insertShipment } from '../../db/queries/shipments';
import type { Parcel } from '../../domain/shipping/parcels';
import type { ShippingAddress } from '../../integrations/carriers';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';

export interface BookShipmentInput {
  orderId: string;
  carrier: string;
  service: string;
  address: ShippingAddress;
  parcels: Parcel[];
  bookingKey: string;
}

export interface BookedShipmentResult {
  shipmentId: string;
  orderId: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingStatus: string;
  trackingUrl: string | null;
  labelUrl: string | null;
}

function toResult(row: ShipmentRow): BookedShipmentResult {
  return {
    shipmentId: row.id,
    orderId: row.order_id,
    carrier: row.carrier,
    service: row.service,
    trackingNumber: row.tracking_number,
    trackingStatus: row.tracking_status,
    trackingUrl: row.tracking_url,
    labelUrl: row.label_url,
  };
}

export async function bookShipmentOnce(
  deps: Pick<ActivityDeps, 'db' | 'carriers'>,
  input: BookShipmentInput,
  signal?: AbortSignal,
): Promise<BookedShipmentResult> {
  const existing = await findShipmentByBookingKey(deps.db, input.bookingKey);
  if (existing) return toResult(existing);
  const carrier = deps.carriers.require(input.carrier);
  const booked = await carrier.bookShipment(
    { service: input.service, address: input.address, parcels: input.parcels, reference: input.orderId, idempotencyKey: input.bookingKey },
    signal ? { signal } : {},
  );
  const row = await insertShipment(deps.db, {
    order_id: input.orderId,
    carrier: input.carrier,
    service: input.service,
    tracking_number: booked.trackingNumber,
    tracking_status: booked.status,
    tracking_url: booked.trackingUrl,
    label_url: booked.labelUrl,
    booking_key: input.bookingKey,
  });
  return toResult(row);
}

export function createShippingBookingActivities(deps: ActivityDeps) {
  return {
    async bookShipment(input: BookShipmentInput): Promise<BookedShipmentResult> {
      try {
        return await bookShipmentOnce(deps, input, Context.current().cancellationSignal);
      } catch (err) {
        throw toActivityFailure(err);
      }
    },
  };
}
