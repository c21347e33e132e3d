/** shipped → delivered (ops, or the tracking workflow's `shipmentDelivered` signal). */
import { type OrderRun, runStep, sendEmail, setSearchStatus } from './run';

export async function deliver(run: OrderRun, note?: string): Promise<void> {
  const { orderId } = run.input;
  await runStep(run, 'deliver', () =>
    run.acts.steps.recordOrderStatus({ orderId, eventKey: 'delivered', status: 'delivered', note: note || null }),
  );
  run.state.view.status = 'delivered';
  setSearchStatus(run, 'delivered');
  sendEmail(run, 'delivered');
}
