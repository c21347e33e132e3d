/**
 * The product document in the search index, made from a product row plus its availability, and
 * the summary the API answers with, made from a document. Only the status is indexed (not the
 * available count): it changes at threshold crossings, not with every reservation.
 */
import { type AvailabilityStatus, availabilityStatus } from '../domain/availability';
import type { SearchSummary } from '../domain/schemas/search';

export interface ProductDocument {
  id: string;
  sku: string;
  name: string;
  brand: string;
  category: string;
  description: string;
  /** Integer minor units. */
  price: number;
  currency: string;
  thumbnail: string | null;
  availabilityStatus: AvailabilityStatus;
  /** Unix milliseconds (sortable: `newest`). */
  createdAt: number;
}

/** What the mapping needs from a product row (see `db/queries/search-documents.ts`). */
export interface IndexableProduct {
  id: string;
  sku: string;
  name: string;
  brand: string;
  category: string;
  description: string;
  price_amount: number;
  currency: string;
  images: ReadonlyArray<{ url: string; alt?: string }>;
  created_at: Date;
  /** On hand − reserved, summed across locations. */
  available: number;
}

export function toProductDocument(p: IndexableProduct, lowStockThreshold: number): ProductDocument {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    brand: p.brand,
    category: p.category,
    description: p.description,
    price: p.price_amount,
    currency: p.currency.trim(),
    thumbnail: p.images[0]?.url ?? null,
    availabilityStatus: availabilityStatus(p.available, lowStockThreshold),
    createdAt: p.created_at.getTime(),
  };
}

/** Fields a result list needs; the search asks Meilisearch for these only. */
export const SUMMARY_FIELDS = [
  'id',
  'sku',
  'name',
  'brand',
  'category',
  'price',
  'currency',
  'thumbnail',
  'availabilityStatus',
] as const satisfies readonly (keyof ProductDocument)[];

export type SummaryDocument = Pick<ProductDocument, (typeof SUMMARY_FIELDS)[number]>;

export function toSummary(d: SummaryDocument): SearchSummary {
  return {
    id: d.id,
    sku: d.sku,
    name: d.name,
    brand: d.brand,
    category: d.category,
    price: { amount: d.price, currency: d.currency },
    thumbnail: d.thumbnail,
    availability: { status: d.availabilityStatus },
  };
}
