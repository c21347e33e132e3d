/** Test-only workflows for the time-skipping tests of shipment tracking. */
import { condition, setHandler } from '@temporalio/workflow';
import { type ShipmentDeliveredPayload, shipmentDeliveredSignal } from '../../../workflows/shipment-tracking';

export { shipmentTracking } from '../../../workflows/shipment-tracking';

/** Stands in for the order workflow: waits for `shipmentDelivered` and returns what it was told. */
export async function awaitDelivery(): Promise<ShipmentDeliveredPayload> {
  let delivered: ShipmentDeliveredPayload | undefined;
  setHandler(shipmentDeliveredSignal, (p) => {
    delivered = p;
  });
  await condition(() => delivered !== undefined);
  return delivered as ShipmentDeliveredPayload;
}
