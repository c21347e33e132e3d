/**
 * The soak's order pipeline: every accepted order (201 or 202) is driven to its end — confirmed,
 * then a tenth cancelled by the customer and the rest shipped, advanced through the carrier
 * sandbox and seen `delivered` — each by its own task, so no order is ever left waiting for a
 * shipment. (The earlier soak shipped from a fixed-rate ticker capped at 32 in flight and only
 * picked up orders answered 201: ticks dropped at the cap and 202 orders were never shipped, so
 * confirmed orders piled up and open workflows grew all run long, with the worker's workflow cache
 * and Temporal's memory behind them.)
 *
 * Order statuses are read by one batched query a second for all orders in flight (OrderWatch),
 * not one poll per order: the pipeline's own load on Postgres stays one small query a second.
 */
import { sleep } from '../../stack/processes';
import type { ChaosStack } from '../chaos/stack';
import { staffHeaders, storefrontHeaders } from '../chaos/storefront';

type Status = 'placed' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled' | 'failed';
interface Row {
  status: Status;
  tracking: string | undefined;
}
interface Waiter {
  until: (r: Row) => boolean;
  resolve: (r: Row | undefined) => void;
  deadline: number;
}

/** Resolves waits on order rows with one query per tick for every order being waited on. */
export class OrderWatch {
  private waiters = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout;

  constructor(
    private readonly db: ChaosStack['db'],
    tickMs = 1_000,
  ) {
    this.timer = setInterval(() => void this.tick(), tickMs);
  }

  /** The row once `until` holds, or undefined after `timeoutMs`. */
  wait(orderId: string, until: (r: Row) => boolean, timeoutMs: number): Promise<Row | undefined> {
    return new Promise((resolve) => {
      const list = this.waiters.get(orderId) ?? [];
      list.push({ until, resolve, deadline: Date.now() + timeoutMs });
      this.waiters.set(orderId, list);
    });
  }

  private ticking = false;
  private async tick() {
    if (this.ticking || this.waiters.size === 0) return;
    this.ticking = true;
    try {
      const ids = [...this.waiters.keys()];
      const rows = await this.db.selectFrom('orders').select(['id', 'status', 'tracking_number']).where('id', 'in', ids).execute();
      const byId = new Map(rows.map((r) => [r.id, { status: r.status, tracking: r.tracking_number ?? undefined } as Row]));
      const now = Date.now();
      for (const id of ids) {
        const row = byId.get(id);
        const left = (this.waiters.get(id) ?? []).filter((w) => {
          if (row && w.until(row)) w.resolve(row);
          else if (now > w.deadline) w.resolve(undefined);
          else return true;
          return false;
        });
        if (left.length) this.waiters.set(id, left);
        else this.waiters.delete(id);
      }
    } catch {
      // Postgres busy: the next tick asks again
    } finally {
      this.ticking = false;
    }
  }

  stop() {
    clearInterval(this.timer);
    for (const list of this.waiters.values()) for (const w of list) w.resolve(undefined);
    this.waiters.clear();
  }
}

export type Ending = 'delivered' | 'cancelled' | 'stuck';
export type PipelineRoute = 'cancel' | 'ship' | 'deliver';

export interface DriveOptions {
  /** Cancel instead of shipping. */
  cancel: boolean;
  /** Pause after confirmation before acting (ops ship soon, not instantly). */
  shipDelayMs: number;
  /** Between carrier tracking advances. */
  advanceGapMs: number;
  /** Times one HTTP call; the soak records it per route. */
  fetch: (route: PipelineRoute, url: string, init: RequestInit, ok: readonly number[]) => Promise<Response | undefined>;
  isRunning: () => boolean;
}

const FINAL: readonly Status[] = ['delivered', 'cancelled'];

/** Drives one accepted order to delivered or cancelled; 'stuck' when it did not get there in time. */
export async function driveOrder(
  stack: ChaosStack,
  watch: OrderWatch,
  order: { id: string; customerId: string },
  opts: DriveOptions,
): Promise<Ending> {
  const settled = await watch.wait(order.id, (r) => r.status !== 'placed', 120_000);
  if (!settled) return 'stuck';
  if (settled.status === 'cancelled') return 'cancelled';
  if (settled.status !== 'confirmed' && settled.status !== 'failed') return settled.status === 'delivered' ? 'delivered' : 'stuck';
  await sleep(opts.shipDelayMs);
  // A failed order (a step out of retries) would wait for support for hours: cancel it, like support would.
  if (opts.cancel || settled.status === 'failed') {
    await opts.fetch(
      'cancel',
      `${stack.apiUrl}/v1/orders/${order.id}/cancel`,
      { method: 'POST', headers: await storefrontHeaders(order.customerId) },
      [200, 202],
    );
    const end = await watch.wait(order.id, (r) => FINAL.includes(r.status), 60_000);
    return end?.status === 'cancelled' ? 'cancelled' : 'stuck';
  }
  const r = await opts.fetch(
    'ship',
    `${stack.apiUrl}/v1/ops/orders/${order.id}/ship`,
    { method: 'POST', headers: { ...staffHeaders('ops'), 'content-type': 'application/json' }, body: '{}' },
    [200, 202],
  );
  const body = r?.ok ? ((await r.json()) as { shipping?: { trackingNumber?: string } }) : undefined;
  const tracking = body?.shipping?.trackingNumber ?? (await watch.wait(order.id, (row) => row.tracking !== undefined, 60_000))?.tracking;
  if (!tracking) return 'stuck';
  // label_created → in_transit → out_for_delivery → delivered: three advances, each a signed
  // webhook to the API; a 409 ("already delivered") is the end, not an error.
  for (let step = 0; step < 4 && opts.isRunning(); step++) {
    await sleep(opts.advanceGapMs);
    const adv = await opts.fetch(
      'deliver',
      `${stack.carrierUrl}/__advance`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNumber: tracking }) },
      [200, 409],
    );
    const moved = adv?.ok ? ((await adv.json()) as { status?: string }).status : adv?.status === 409 ? 'delivered' : undefined;
    if (moved === 'delivered') break;
  }
  const end = await watch.wait(order.id, (row) => FINAL.includes(row.status), 120_000);
  return end?.status === 'delivered' ? 'delivered' : 'stuck';
}
