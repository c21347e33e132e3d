/**
 * Customer scope of the storefront's returns calls (contract v1.1 "Customers: who may see an
 * order"): with the `storefront` role, an order of another customer is 404 `order_not_found`,
 * exactly as if it did not exist. The customer comes from the verified `X-Customer-Token` — set
 * on `res.locals.customerId` by the customer-token guard. Until that guard is mounted this check
 * has nothing to compare and lets the call through; once it is, this is where it bites.
 */
import type { Response } from 'express';
import { AppError } from '../../domain/errors';
import type { Role } from '../auth';

export function assertCustomerMayAccess(res: Response, role: Role | undefined, order: { id: string; customer_id: string }): void {
  if (role !== 'storefront') return; // support, ops, admin act on any customer
  const customerId = res.locals.customerId as string | undefined;
  if (customerId !== undefined && customerId !== order.customer_id) {
    throw new AppError('order_not_found', `No order ${order.id}`);
  }
}
