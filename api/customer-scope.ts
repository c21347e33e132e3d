/**
 * What a customer may see (contract v1.1 "Customers"): a storefront call made for a customer acts
 * on that customer's data only. Routes declare `customerScoped: true` (api/route.ts verifies the
 * token and puts the identity in `ctx.customer`) and apply these checks; support, ops and admin
 * calls carry no customer and pass. Reused by every customer-scoped route (orders, returns).
 */
import { AppError } from '../domain/errors';
import type { CustomerIdentity } from './customer-token';

/** The answer for an order that does not exist — and, to a customer, for another customer's order. */
export function orderNotFound(orderId: string): AppError {
  return new AppError('order_not_found', `No order ${orderId}`);
}

/** 403 when the customer acts for someone else (the body's or the path's customerId). */
export function assertActsFor(customer: CustomerIdentity | undefined, customerId: string, path: string): void {
  if (customer && customer.customerId !== customerId) {
    throw new AppError('forbidden', `The customer token is not for customer ${customerId}`, {
      errors: [{ path, message: 'differs from the customer token' }],
    });
  }
}

/**
 * 404 `order_not_found`, word for word the answer for a missing order, when the order belongs to
 * another customer: a customer cannot even learn that the id exists.
 */
export function assertOwnsOrder(customer: CustomerIdentity | undefined, order: { customerId: string }, orderId: string): void {
  if (customer && customer.customerId !== order.customerId) throw orderNotFound(orderId);
}
