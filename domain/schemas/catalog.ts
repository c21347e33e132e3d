/**
 * Catalog request and response schemas: they validate requests and document /openapi.json.
 * Response types flow from here (z.infer); row types from db/database.ts.
 */
import { AVAILABILITY_STATUSES } from '../availability';
import { intParam, limitParam, MoneySchema, multiLine, repeatable, singleLine, unsafeTextReason, z } from './common';

/** Largest price Postgres' `integer` column holds. */
export const MAX_PRICE_AMOUNT = 2_147_483_647;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuidShaped(s: string): boolean {
  return UUID_SHAPE.test(s);
}

// ---- shared pieces ---------------------------------------------------------------------------

export const SkuSchema = singleLine()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  // `GET /v1/products/{idOrSku}` tells ids from skus by shape, so a sku may not look like an id.
  .refine((s) => !isUuidShaped(s), 'must not look like a UUID (product ids do)')
  .openapi({ example: 'SKU-000123' });

const Label = (max: number) => singleLine().trim().min(1, 'must not be empty').max(max);
/** Limits keep a list summary (sku, name, brand, category, thumbnail URL) under 1 KB. */
const NameSchema = Label(150);
const BrandSchema = Label(60);
const CategorySchema = Label(60);

export const ImageSchema = z.object({ url: z.string(), alt: z.string() }).openapi('ProductImage');
/** URLs the API stores and returns are https only (no `javascript:`, no plain http). */
export const HttpsUrlSchema = z
  .url({ protocol: /^https$/, error: 'must be an https URL' })
  .check((ctx) => {
    const reason = unsafeTextReason(ctx.value);
    if (reason) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value });
  })
  .openapi({ format: 'uri', pattern: '^https://', description: 'An https URL' });
const ImageInputSchema = z.strictObject({
  url: HttpsUrlSchema.max(400),
  alt: singleLine().max(200).default(''),
});

const AttributeValue = z.union([multiLine().max(500), z.number().finite(), z.boolean(), z.array(singleLine().max(100)).max(20)]);
const AttributesInput = z
  .record(singleLine().min(1, 'an attribute name may not be empty').max(64).openapi({ minLength: 1, maxLength: 64 }), AttributeValue)
  // OpenAPI 3.1 (JSON Schema) `propertyNames`: the metadata type only knows what 3.0 and 3.1 share.
  .openapi({ propertyNames: { type: 'string', minLength: 1, maxLength: 64 } } as Record<string, unknown>)
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 attributes')
  .openapi({
    description:
      'Free-form specifications: string, number, boolean or string-array values; replaced as a whole on PATCH. ' +
      'Names are 1–64 characters (an empty name is a 400).',
  });

const MoneyInputSchema = z.strictObject({
  amount: z.number().int('must be an integer (minor units)').min(0).max(MAX_PRICE_AMOUNT),
  currency: singleLine()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .openapi({
      example: 'USD',
      description: "The store's currency (`STORE_CURRENCY`, default USD; see `GET /v1/store/config`): any other is a 400",
    }),
});

// ---- responses -------------------------------------------------------------------------------

export const AvailabilityStatusSchema = z.enum(AVAILABILITY_STATUSES);

export const ProductSummarySchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    brand: z.string(),
    category: z.string(),
    price: MoneySchema,
    thumbnail: z.string().nullable().openapi({ description: 'URL of the first image, or null' }),
    availability: z.object({ status: AvailabilityStatusSchema }),
  })
  .openapi('ProductSummary');
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

export const SUMMARY_FIELDS = ['id', 'sku', 'name', 'brand', 'category', 'price', 'thumbnail', 'availability'] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];

/** A list item under `fields=…`: only the requested summary fields are present. */
export const ProductSparseSummarySchema = ProductSummarySchema.partial().openapi('ProductSparseSummary', {
  description: 'A summary with only the fields named in `fields=` (each optional here)',
});

export const ProductListSchema = z
  .object({
    data: z
      .array(z.union([ProductSummarySchema, ProductSparseSummarySchema]))
      .openapi({ description: 'Summaries; with `fields=…` each item has only the requested fields (ProductSparseSummary)' }),
    nextCursor: z.string().nullable(),
  })
  .openapi('ProductList');

export const ProductSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    brand: z.string(),
    category: z.string(),
    images: z.array(ImageSchema),
    price: MoneySchema,
    attributes: z.record(z.string(), z.unknown()),
    availability: z.object({
      status: AvailabilityStatusSchema,
      available: z.number().int().openapi({ description: 'On hand − reserved, across every location' }),
    }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Product');
export type Product = z.infer<typeof ProductSchema>;

export const StoreConfigSchema = z
  .object({
    currencies: z.array(z.string()).openapi({ description: 'Currencies the live catalog is priced in' }),
    lowStockThreshold: z.number().int().openapi({ description: 'available ≤ this (and > 0) shows low_stock' }),
    carriersEnabled: z.array(z.string()),
    locations: z.array(z.string()),
  })
  .openapi('StoreConfig');
export type StoreConfig = z.infer<typeof StoreConfigSchema>;

// ---- requests --------------------------------------------------------------------------------

const fieldsParam = z
  .union([singleLine(), z.array(singleLine())])
  .transform((v, ctx) => {
    const names = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim());
    const unknown = names.filter((n) => !(SUMMARY_FIELDS as readonly string[]).includes(n));
    if (unknown.length || names.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown field ${unknown.map((u) => JSON.stringify(u)).join(', ')}; allowed: ${SUMMARY_FIELDS.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(names)] as SummaryField[];
  })
  .openapi({
    type: 'string',
    description: `Comma list of summary fields to return (${SUMMARY_FIELDS.join(', ')})`,
    example: 'id,name,price',
  });

export const ProductListQuerySchema = z
  .strictObject({
    category: repeatable(CategorySchema, { min: 1, max: 60 }).optional().openapi({ description: 'Repeatable; OR within, AND with brand' }),
    brand: repeatable(BrandSchema, { min: 1, max: 60 }).optional().openapi({ description: 'Repeatable; OR within, AND with category' }),
    minPrice: intParam({ min: 0, max: MAX_PRICE_AMOUNT }).optional().openapi({ type: 'integer', description: 'Minor units, inclusive' }),
    maxPrice: intParam({ min: 0, max: MAX_PRICE_AMOUNT }).optional().openapi({ type: 'integer', description: 'Minor units, inclusive' }),
    limit: limitParam.openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    cursor: singleLine().max(200).optional().openapi({ description: 'Opaque; `nextCursor` of the previous page' }),
    fields: fieldsParam.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.minPrice !== undefined && q.maxPrice !== undefined && q.maxPrice < q.minPrice) {
      ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'must be greater than or equal to minPrice' });
    }
    for (const key of ['category', 'brand'] as const) {
      if ((q[key]?.length ?? 0) > 50) ctx.addIssue({ code: 'custom', path: [key], message: 'at most 50 values' });
    }
  });
export type ProductListQuery = z.output<typeof ProductListQuerySchema>;

export const ProductIdOrSkuParams = z.strictObject({
  idOrSku: singleLine().min(1).max(128).openapi({ description: 'Product id (UUID) or sku', example: 'KTL-1001' }),
});
export const ProductIdParams = z.strictObject({ id: z.uuid('must be a product id (UUID)') });

export const ProductCreateSchema = z
  .strictObject({
    sku: SkuSchema,
    name: NameSchema,
    description: multiLine().max(5000).default(''),
    brand: BrandSchema,
    category: CategorySchema,
    price: MoneyInputSchema,
    images: z.array(ImageInputSchema).max(20).default([]),
    attributes: AttributesInput.default({}),
  })
  .openapi('ProductCreate', {
    example: {
      sku: 'KTL-1001',
      name: 'Stovetop kettle 1.7 l',
      description: 'Brushed steel, whistles when the water boils.',
      brand: 'Hearthware',
      category: 'Kitchen',
      price: { amount: 4500, currency: 'USD' },
      images: [{ url: 'https://img.example.com/ktl-1001.jpg', alt: 'Kettle, front' }],
      attributes: { capacityLitres: 1.7, material: 'steel' },
    },
  });
export type ProductCreate = z.output<typeof ProductCreateSchema>;

export const ProductPatchSchema = z
  .strictObject({
    sku: z
      .never({ error: 'cannot be changed: stock and order lines refer to it; create a new product instead' })
      .openapi({ type: 'string', readOnly: true, description: 'Immutable: sending it is a 400' })
      .optional(),
    name: NameSchema.optional(),
    description: multiLine().max(5000).optional(),
    brand: BrandSchema.optional(),
    category: CategorySchema.optional(),
    price: MoneyInputSchema.optional(),
    images: z.array(ImageInputSchema).max(20).optional(),
    attributes: AttributesInput.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'send at least one field to change' })
  .openapi('ProductPatch', {
    minProperties: 1,
    description: 'At least one field: `{}` is a 400',
    example: { price: { amount: 3990, currency: 'USD' }, name: 'Stovetop kettle 1.7 l (steel)' },
  });
export type ProductPatch = z.output<typeof ProductPatchSchema>;
