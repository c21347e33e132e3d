/** The payment provider as the engine sees it: four idempotent operations (keys from order + step). */
export interface Authorization {
  authorizationId: string;
  amount: number;
  currency: string;
}
export interface Capture {
  captureId: string;
  authorizationId: string;
  amount: number;
}
export interface Void {
  authorizationId: string;
}
export interface Refund {
  refundId: string;
  captureId: string;
  amount: number;
}

export interface PaymentsClient {
  authorize(req: { idempotencyKey: string; amount: number; currency: string; token: string; reference: string }): Promise<Authorization>;
  capture(req: { idempotencyKey: string; authorizationId: string; amount: number }): Promise<Capture>;
  void(req: { idempotencyKey: string; authorizationId: string }): Promise<Void>;
  refund(req: { idempotencyKey: string; captureId: string; amount: number }): Promise<Refund>;
}

/** The card was refused for good (a retry with the same card cannot succeed). */
export class PaymentDeclinedError extends Error {
  constructor(
    message: string,
    readonly declineCode: string,
  ) {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/** The provider refused the request itself (4xx other than a decline): a bug or a state conflict, not worth retrying. */
export class PaymentRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly providerCode: string,
  ) {
    super(message);
    this.name = 'PaymentRejectedError';
  }
}

/** The provider is down, slow or answered 5xx: retry with the same idempotency key. */
export class PaymentUnavailableError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'PaymentUnavailableError';
  }
}
