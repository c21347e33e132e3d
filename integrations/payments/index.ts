export { createPaymentsClient } from './client';
export { type PaymentSandbox, startPaymentSandbox } from './sandbox';
export * from './types';
