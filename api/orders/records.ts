/**
 * Reading orders for the order commands and placement: Postgres is the source of truth for what
 * the storefront sees, and a Postgres failure is a 503 `dependency_unavailable` (not a 500).
 */
import { getOrderHead, getOrderRecord } from '../../db/queries/orders';
import { isPostgresUnavailable } from '../../db/unavailable';
import { dependencyUnavailable } from '../../domain/errors';
import type { OrderView } from '../../domain/schemas/orders';
import { orderNotFound } from '../customer-scope';
import type { AppDeps } from '../deps';
import { toOrderView } from './view';

export function orderRecords(deps: Pick<AppDeps, 'db'>) {
  /** Runs one database read; a connection failure is a 503, a data error a bug (500), never a false outage. */
  const query = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (isPostgresUnavailable(err)) throw dependencyUnavailable('postgres', err);
      throw err;
    }
  };

  /** The order as the contract shows it, or undefined when there is no row (yet). */
  const find = async (orderId: string): Promise<OrderView | undefined> => {
    const record = await query(() => getOrderRecord(deps.db, orderId));
    return record ? toOrderView(record) : undefined;
  };

  /** The order, or 404 `order_not_found`. */
  const load = async (orderId: string): Promise<OrderView> => {
    const view = await find(orderId);
    if (!view) throw orderNotFound(orderId);
    return view;
  };

  /** Status, request hash and owner, or 404 `order_not_found`. */
  const head = async (orderId: string) => {
    const h = await query(() => getOrderHead(deps.db, orderId));
    if (!h) throw orderNotFound(orderId);
    return h;
  };

  return { query, find, load, head };
}
