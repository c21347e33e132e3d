/** Shipments and their tracking changes (the order's timeline gets one event per change). */

import { sql } from 'kysely';
import type { OrderEventMessage } from '../../domain/orders/types';
import type { Db } from '../connection';
import type { NewShipmentRow, ShipmentRow } from '../database';
import { appendOrderEvent } from './orders';

export function findShipmentByBookingKey(db: Db, bookingKey: string): Promise<ShipmentRow | undefined> {
  return db.selectFrom('shipments').selectAll().where('booking_key', '=', bookingKey).executeTakeFirst();
}

export function findShipmentByTrackingNumber(db: Db, carrier: string, trackingNumber: string): Promise<ShipmentRow | undefined> {
  return db
    .selectFrom('shipments')
    .selectAll()
    .where('tracking_number', '=', trackingNumber)
    .where('carrier', '=', carrier)
    .executeTakeFirst();
}

/**
 * Inserts the booked shipment unless its booking key is already there, and points the order at it;
 * returns the row that holds the key (the first booking, on a retry).
 */
export async function insertShipment(db: Db, row: NewShipmentRow): Promise<ShipmentRow> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('shipments')
      .values(row)
      .onConflict((oc) => oc.column('booking_key').doNothing())
      .execute();
    const stored = await trx.selectFrom('shipments').selectAll().where('booking_key', '=', row.booking_key).executeTakeFirstOrThrow();
    await trx
      .updateTable('orders')
      .set({
        shipping_carrier: stored.carrier,
        shipping_service: stored.service,
        tracking_number: stored.tracking_number,
        tracking_status: sql<string>`COALESCE(tracking_status, ${stored.tracking_status})`,
        tracking_url: stored.tracking_url,
        updated_at: sql`now()`,
      })
      .where('id', '=', stored.order_id)
      .execute();
    return stored;
  });
}

export interface TrackingChange {
  orderId: string;
  trackingNumber: string;
  status: string;
  at: string;
  note: string;
  trackingUrl: string | null;
  eventKey: string;
  data: Record<string, unknown>;
}

/**
 * Records one tracking change in one transaction: a timeline event (type `tracking`, once per
 * event key) and, when it is new, the shipment's and the order's tracking status and URL.
 * Returns the event (the first one written on a repeat) and whether this call inserted it.
 */
export async function recordTrackingChange(db: Db, c: TrackingChange): Promise<{ event: OrderEventMessage; inserted: boolean }> {
  return db.transaction().execute(async (trx) => {
    const result = await appendOrderEvent(trx, {
      orderId: c.orderId,
      eventKey: c.eventKey,
      status: c.status,
      note: c.note,
      data: { type: 'tracking', ...c.data, at: c.at },
    });
    if (!result.inserted) return result;
    await trx
      .updateTable('shipments')
      .set({ tracking_status: c.status, ...(c.trackingUrl ? { tracking_url: c.trackingUrl } : {}), updated_at: sql`now()` })
      .where('tracking_number', '=', c.trackingNumber)
      .execute();
    await trx
      .updateTable('orders')
      .set({ tracking_status: c.status, ...(c.trackingUrl ? { tracking_url: c.trackingUrl } : {}), updated_at: sql`now()` })
      .where('id', '=', c.orderId)
      .execute();
    return result;
  });
}
