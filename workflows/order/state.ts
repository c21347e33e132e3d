/**
 * Everything the order workflow remembers between steps: the queryable view, the priced order,
 * the requests waiting to be acted on (cancel, retry, ship, deliver), the compensations to run on
 * cancellation and the emails still in flight. The message handlers are its methods: they validate
 * against the state and record a request; the steps (place, ship, deliver, compensate, reject) act.
 */
import { ApplicationFailure, type CancellationScope, condition, setHandler } from '@temporalio/workflow';
import { isCancellable, isTerminal, manualTransitionError, type OrderStatus } from '../../domain/orders/status';
import type {
  OrderStep,
  OrderWorkflowInput,
  OrderWorkflowState,
  PlacementResult,
  PricedOrder,
  SetStatusRequest,
  ShipRequest,
} from '../../domain/orders/types';
import { OrderCancelled } from './failures';
import {
  cancelOrderUpdate,
  orderStateQuery,
  placeOrderUpdate,
  retryOrderUpdate,
  type ShipOrderRequest,
  setOrderStatusUpdate,
  shipmentDeliveredSignal,
  shipOrderUpdate,
} from './messages';

/** Undoes one step on cancellation (run in reverse order); `payment` may report a refund. */
export interface Compensation {
  name: 'stock' | 'payment';
  run: () => Promise<unknown>;
}

export class OrderState {
  /** The workflow's own view, answered by the `state` query. */
  readonly view: OrderWorkflowState;
  /** Set by the first step (`openPricedOrder`). */
  priced: PricedOrder | undefined;
  /** The storefront's answer (the `placeOrder` Update's result), once there is one. */
  placement: PlacementResult | undefined;
  cancelRequest: { reason: string; by: string } | undefined;
  retryRequested = false;
  /** Who asked for the retry (the API passes the key's role and the caller's note). */
  retryRequest: { by?: string; note?: string } | undefined;
  shipRequest: ShipRequest | undefined;
  deliverRequest: { note?: string } | undefined;
  shipped = false;
  /** A step that a cancellation or the payment window may cut short. */
  interruptible: CancellationScope | undefined;
  /** How many times a step has failed (keys the `failed:n` / `retry:n` timeline events). */
  failures = 0;
  failedStep: OrderStep | null = null;
  /** A compensation failed and waits for support (`settle` in run.ts): retry is allowed though a cancel is under way. */
  parked = false;
  readonly compensations: Compensation[] = [];
  readonly emails: Promise<unknown>[] = [];

  constructor(private readonly input: OrderWorkflowInput) {
    this.view = {
      orderId: input.orderId,
      status: 'placed',
      failure: null,
      authorizationId: null,
      captureId: null,
      total: null,
      trackingNumber: null,
    };
  }

  get status(): OrderStatus {
    return this.view.status;
  }

  /** Throws `OrderCancelled` once a cancellation has been asked for. */
  throwIfCancelRequested(): void {
    if (this.cancelRequest) throw new OrderCancelled(this.cancelRequest.reason);
  }

  /** Installs the handlers; called before the workflow's first await. */
  listen(): void {
    setHandler(orderStateQuery, () => ({ ...this.view }));
    setHandler(placeOrderUpdate, () => this.placeOrder(), { validator: (req) => this.validatePlaceOrder(req) });
    setHandler(cancelOrderUpdate, (req) => this.requestCancel(req.reason ?? 'cancelled by the customer', req.by ?? 'customer'), {
      validator: (_req) => this.validateCancel(),
    });
    setHandler(retryOrderUpdate, (req) => this.retry(req), { validator: (_req) => this.validateRetry() });
    setHandler(setOrderStatusUpdate, (req) => this.setStatus(req), { validator: (req) => this.validateSetStatus(req) });
    setHandler(shipOrderUpdate, (req) => this.requestShipment(req), { validator: (_req) => this.validateShipment() });
    setHandler(shipmentDeliveredSignal, (s) => this.shipmentDelivered(s));
  }

  // ---- placeOrder (Update-with-Start) ----

  private async placeOrder(): Promise<PlacementResult> {
    await condition(() => this.placement !== undefined || this.status === 'failed' || isTerminal(this.status));
    return this.placement ?? { outcome: 'accepted', status: this.status };
  }

  private validatePlaceOrder({ requestHash }: { requestHash: string }): void {
    if (requestHash !== this.input.requestHash) {
      throw ApplicationFailure.create({
        type: 'idempotency_key_reused',
        message: 'This Idempotency-Key was used with a different request body',
        nonRetryable: true,
      });
    }
  }

  // ---- cancel ----

  private validateCancel(): void {
    // A failed order may be cancelled unless it failed after shipment; a shipment in progress
    // (not failed) cannot be cancelled any more.
    const shipping = this.shipped || (this.shipRequest !== undefined && this.status !== 'failed');
    if (shipping || isTerminal(this.status) || !isCancellable(this.status === 'failed' ? 'placed' : this.status)) {
      throw ApplicationFailure.create({
        type: 'order_not_cancellable',
        message: shipping ? 'The order has shipped (or is being shipped)' : `The order is ${this.status}`,
        nonRetryable: true,
      });
    }
  }

  private async requestCancel(reason: string, by: string): Promise<{ status: OrderStatus }> {
    this.cancelRequest ??= { reason, by };
    this.interruptible?.cancel();
    await condition(() => this.status === 'cancelled');
    return { status: this.status };
  }

  // ---- retry (support) ----

  private retry(req: { by?: string; note?: string }): { status: OrderStatus; step: OrderStep | null } {
    this.retryRequested = true;
    this.retryRequest = req;
    return { status: this.status, step: this.failedStep };
  }

  private validateRetry(): void {
    if (this.status !== 'failed' || (this.cancelRequest && !this.parked)) {
      throw ApplicationFailure.create({
        type: 'order_not_failed',
        message: `The order is ${this.status}, not failed`,
        nonRetryable: true,
      });
    }
  }

  // ---- setStatus (ops) ----

  private async setStatus(req: SetStatusRequest): Promise<{ status: OrderStatus }> {
    if (req.status === 'cancelled') return this.requestCancel(req.note || 'cancelled by operations', 'ops');
    if (req.status === 'shipped') {
      this.shipRequest = req;
      await condition(() => this.shipped || this.status === 'failed' || isTerminal(this.status));
    } else if (req.status === 'delivered') {
      this.deliverRequest = { note: req.note };
      await condition(() => this.status === 'delivered' || this.status === 'failed');
    }
    return { status: this.status };
  }

  private validateSetStatus(req: SetStatusRequest): void {
    if (req.status === 'cancelled') this.validateCancel();
    const problem = manualTransitionError(this.status, req.status);
    const busy =
      (req.status === 'shipped' && this.shipRequest) || (req.status === 'delivered' && this.deliverRequest) || this.cancelRequest;
    if (problem || busy) {
      throw ApplicationFailure.create({
        type: 'invalid_transition',
        message: problem ?? `The order is already changing (${this.status})`,
        nonRetryable: true,
      });
    }
  }

  // ---- ship (ops: book with the carrier) ----

  private async requestShipment(req: ShipOrderRequest): Promise<{ status: OrderStatus; trackingNumber: string | null }> {
    this.shipRequest = { ...req, book: true };
    await condition(() => this.shipped || this.status === 'failed' || isTerminal(this.status));
    return { status: this.status, trackingNumber: this.view.trackingNumber ?? null };
  }

  private validateShipment(): void {
    const problem = manualTransitionError(this.status, 'shipped');
    if (problem || this.shipRequest || this.cancelRequest) {
      throw ApplicationFailure.create({
        type: 'invalid_transition',
        message: problem ?? `The order is already changing (${this.status})`,
        nonRetryable: true,
      });
    }
  }

  // ---- shipmentDelivered (the tracking workflow) ----

  private shipmentDelivered(s: { trackingNumber?: string; note?: string }): void {
    this.deliverRequest ??= { note: s.note ?? (s.trackingNumber ? `delivered (${s.trackingNumber})` : 'delivered') };
  }
}
