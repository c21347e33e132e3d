/**
 * confirmed → shipped: book the label (POST /ship), capture the payment, commit the reserved
 * stock, record the shipment, start tracking. A manual `setStatus shipped` records what ops says
 * instead of booking.
 */
import { log, ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { OrderPolicy, PricedOrder, ShipRequest } from '../../domain/orders/types';
import { shipmentTracking, shipmentTrackingWorkflowId } from '../shipment-tracking';
import { type OrderRun, runStep, sendEmail, setSearchStatus } from './run';

interface Booking {
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl: string | null;
}

export async function ship(run: OrderRun, req: ShipRequest): Promise<void> {
  const { input, workflowId, state } = run;
  const { steps } = run.acts;
  const { orderId, policy } = input;
  const p = state.priced as PricedOrder;
  const authorizationId = state.view.authorizationId as string;
  // Booked shipments (POST /ship): the label first, so nothing is charged for a parcel the
  // carrier refused. The booking key is fixed per order: a retry (or support's retry after a
  // failure) finds the first label, the carrier never books twice.
  let booked: Booking | undefined;
  if (req.book) {
    const carrier = req.carrier ?? p.carrier;
    const service = req.service ?? p.service;
    booked = await runStep(run, 'ship', async () => {
      const parcels = await steps.planShipmentParcels({ items: input.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) });
      return steps.bookShipment({
        orderId,
        carrier,
        service,
        address: input.shippingAddress,
        parcels,
        bookingKey: `${workflowId}:shipment`,
      });
    });
    state.view.trackingNumber = booked.trackingNumber;
    req = {
      ...req,
      carrier: booked.carrier,
      service: booked.service,
      trackingNumber: booked.trackingNumber,
      ...(booked.trackingUrl ? { trackingUrl: booked.trackingUrl } : {}),
    };
  }
  if (!state.view.captureId) {
    const capture = await runStep(run, 'ship', () => steps.capturePayment({ orderId, authorizationId, amount: p.total }));
    state.view.captureId = capture.captureId;
  }
  await runStep(run, 'ship', () => steps.commitReservation(orderId));
  await runStep(run, 'ship', () =>
    steps.recordOrderStatus({
      orderId,
      eventKey: 'shipped',
      status: 'shipped',
      note: req.note || null,
      captureId: state.view.captureId ?? undefined,
      shipping: {
        ...(req.carrier ? { carrier: req.carrier } : {}),
        ...(req.service ? { service: req.service } : {}),
        ...(req.trackingNumber ? { trackingNumber: req.trackingNumber } : {}),
        ...(req.trackingUrl ? { trackingUrl: req.trackingUrl } : {}),
      },
    }),
  );
  state.shipped = true;
  state.view.status = 'shipped';
  setSearchStatus(run, 'shipped');
  sendEmail(run, 'shipped');
  if (booked && policy.tracking) await startTracking(run, booked, policy.tracking);
}

/**
 * The tracking child: polls the carrier and takes its webhooks until delivered, then signals
 * `shipmentDelivered` here. Abandoned on close (it outlives nothing: it ends on delivery). A
 * webhook may have started it first (signal-with-start): that run is the one, fine.
 */
async function startTracking(run: OrderRun, b: Booking, t: NonNullable<OrderPolicy['tracking']>): Promise<void> {
  const { orderId } = run.input;
  try {
    await startChild(shipmentTracking, {
      workflowId: shipmentTrackingWorkflowId(b.trackingNumber),
      taskQueue: t.taskQueue,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          orderId,
          carrier: b.carrier,
          trackingNumber: b.trackingNumber,
          orderWorkflowId: run.workflowId,
          poll: { initialMs: t.pollInitialMs, maxMs: t.pollMaxMs },
        },
      ],
    });
  } catch (err) {
    if ((err as { name?: string })?.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    log.info('shipment tracking already running (started by a carrier webhook)', { orderId, trackingNumber: b.trackingNumber });
  }
}
