/**
 * What a batch of outbox changes means for the index. Changes only name what changed (a product
 * id, or a sku whose stock moved); the current state is re-read from Postgres, so the plan is
 * idempotent and insensitive to order: replaying any change any number of times converges.
 */
import { type IndexableProduct, type ProductDocument, toProductDocument } from './documents';

export interface ChangeRef {
  topic: 'product' | 'stock';
  aggregate_id: string;
}

export interface CurrentProduct extends IndexableProduct {
  deleted_at: Date | null;
}

export interface IndexPlan {
  upserts: ProductDocument[];
  /** Ids of upserts caused only by stock changes (candidates for "status unchanged, skip"). */
  stockOnly: Set<string>;
  deletes: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Product ids and skus to re-read; ids that are not UUIDs cannot name a product and are dropped. */
export function refsToLoad(changes: readonly ChangeRef[]): { ids: string[]; skus: string[] } {
  const ids = new Set<string>();
  const skus = new Set<string>();
  for (const c of changes) {
    if (c.topic === 'product' && UUID.test(c.aggregate_id)) ids.add(c.aggregate_id.toLowerCase());
    else if (c.topic === 'stock' && c.aggregate_id) skus.add(c.aggregate_id);
  }
  return { ids: [...ids], skus: [...skus] };
}

export function planIndexChanges(changes: readonly ChangeRef[], current: readonly CurrentProduct[], lowStockThreshold: number): IndexPlan {
  const byId = new Map(current.map((p) => [p.id.toLowerCase(), p]));
  const bySku = new Map(current.map((p) => [p.sku, p]));
  const upserts = new Map<string, ProductDocument>();
  const fromProduct = new Set<string>();
  const deletes = new Set<string>();

  const take = (p: CurrentProduct, viaProduct: boolean) => {
    if (p.deleted_at) {
      deletes.add(p.id);
      return;
    }
    upserts.set(p.id, toProductDocument(p, lowStockThreshold));
    if (viaProduct) fromProduct.add(p.id);
  };

  for (const c of changes) {
    if (c.topic === 'product') {
      if (!UUID.test(c.aggregate_id)) continue;
      const p = byId.get(c.aggregate_id.toLowerCase());
      if (p) take(p, true);
      else deletes.add(c.aggregate_id.toLowerCase()); // hard-deleted (or never committed): not searchable
    } else {
      const p = bySku.get(c.aggregate_id);
      if (p) take(p, false); // an unknown sku has no document to update
    }
  }
  for (const id of upserts.keys()) deletes.delete(id);
  return {
    upserts: [...upserts.values()],
    stockOnly: new Set([...upserts.keys()].filter((id) => !fromProduct.has(id))),
    deletes: [...deletes],
  };
}
