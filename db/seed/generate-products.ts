/**
 * Generates catalog product number n (1-based) deterministically: the product depends only on n and
 * the options, never on which batch makes it, so any range can be (re)generated independently.
 */
import type { Faker } from '@faker-js/faker';
import type { ProductImage, ProductRow } from '../database';
import { houseBrands } from './brands';
import { LEAF_CATEGORIES, type LeafCategory, type ModelLine, TOTAL_CATEGORY_SHARE } from './categories';
import { leafPriceCents, linePriceCents } from './pricing';
import { CATALOG_SEED, logUniformInt, pick, reseed, skewedPick, weightedPick } from './rng';
import { generateStock, type StockByLocation } from './stock';

export const DEFAULT_SKU_PREFIX = 'SKU-';
export const IMAGE_BASE_URL = 'https://img.cathay.test/p';
/**
 * `created_at` values fall in the two years before this fixed instant (not "now"), so the same seed
 * gives the same timestamps on every run.
 */
export const SEED_REFERENCE_DATE = new Date('2026-11-01T00:00:00.000Z');
export const CREATED_SPAN_DAYS = 730;

const DAY_MS = 86_400_000;

export interface GenerateOptions {
  /** SKU prefix, default "SKU-" (SKU-000001). Tests pass their own to create isolated products. */
  skuPrefix?: string;
  /** Catalog seed, default `CATALOG_SEED`; another value gives a different but equally stable catalog. */
  seed?: number;
  referenceDate?: Date;
}

/** What the seed puts in `products.attributes` (every key but weightGrams and productType is optional). */
export interface SeedProductAttributes {
  [key: string]: unknown;
  /** Shipping weight of one unit in grams (carriers price parcels by weight). */
  weightGrams: number;
  /** The product noun, e.g. "Smartphone", "Dutch Oven". */
  productType: string;
  color?: string;
  material?: string;
  /** Beauty products: the headline ingredient instead of a material. */
  keyIngredient?: string;
  /** Leaf options: size, storage, screenSize, capacity, volume, format, … */
  size?: string;
  /** Books. */
  author?: string;
  format?: string;
  pages?: number;
  isbn13?: string;
}

/** A product row as the seed makes it (columns from the `Database` type), plus its opening stock. */
export type SeedProduct = Pick<
  ProductRow,
  'sku' | 'name' | 'description' | 'brand' | 'category' | 'price_amount' | 'images' | 'created_at' | 'updated_at'
> & {
  currency: 'USD';
  attributes: SeedProductAttributes;
  /** Starting on-hand units per location (reserved starts at 0). */
  stock: StockByLocation;
};

export function skuFor(n: number, skuPrefix = DEFAULT_SKU_PREFIX): string {
  return `${skuPrefix}${String(n).padStart(6, '0')}`;
}

const CLOSING_SENTENCES = [
  'Backed by a two-year limited warranty.',
  'Ships within one business day.',
  'Free returns within 30 days.',
  'A customer favourite, now in more colours.',
  'Thoughtfully packaged in recycled materials.',
  'Designed to last for years of everyday use.',
  'Makes a great gift.',
];

const IMAGE_VIEWS = ['side view', 'detail', 'in use', 'back view', 'packaging'];

/** "QLED TV" stays, "Wool Coat" → "wool coat": for "This <noun> …" sentences. */
function lowerNoun(noun: string): string {
  return noun
    .split(' ')
    .map((word) => (/[A-Z].*[A-Z]|\d/.test(word) ? word : word.toLowerCase()))
    .join(' ');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function isbn13(f: Faker): string {
  const digits = [9, 7, 8, ...Array.from({ length: 9 }, () => f.number.int({ min: 0, max: 9 }))];
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

function bookTitle(f: Faker, leaf: LeafCategory): string {
  if (leaf.naming === 'cookbook') {
    const cuisine = f.food.ethnicCategory();
    return f.helpers.arrayElement([
      `The ${cuisine} Table`,
      `Everyday ${cuisine} Cooking`,
      `${cuisine} Kitchen: 100 Recipes`,
      `Simply ${cuisine}`,
      `The New ${cuisine} Cookbook`,
    ]);
  }
  const noun = () => capitalize(f.word.noun());
  return f.helpers.arrayElement([
    () => `The ${capitalize(f.word.adjective())} ${noun()}`,
    () => `${noun()} of ${f.location.city()}`,
    () => `A ${noun()} in ${f.date.month()}`,
    () => `The ${noun()}'s ${noun()}`,
    () => `${capitalize(f.word.adjective())} ${noun()}s`,
  ])();
}

/** The noun of a model line ("Galaxy Buds3 Pro" → "Earbuds" when the leaf has it), else the leaf's first. */
function lineNoun(leaf: LeafCategory, line: ModelLine): string {
  const lower = line.name.toLowerCase();
  const found = leaf.nouns.find((noun) => lower.includes(noun.toLowerCase()));
  return found ?? leaf.nouns[0] ?? leaf.name;
}

export function generateProduct(n: number, opts: GenerateOptions = {}): SeedProduct {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`product number must be a positive integer, got ${n}`);
  const f = reseed(opts.seed ?? CATALOG_SEED, n);
  const sku = skuFor(n, opts.skuPrefix);
  const leaf = weightedPick(f, LEAF_CATEGORIES, (l) => l.share, TOTAL_CATEGORY_SHARE);
  const isBook = leaf.naming !== undefined;
  const isBeauty = leaf.departmentSlug === 'beauty';

  const color = leaf.colors ? pick(f, leaf.colors) : undefined;
  const material = pick(f, leaf.materials);
  const options: Record<string, string> = {};
  let nameOption: string | undefined;
  let tier = 0;
  let weightFraction: number | undefined;
  for (const option of leaf.options ?? []) {
    const index = f.number.int({ min: 0, max: option.values.length - 1 });
    const value = option.values[index] ?? '';
    options[option.key] = value;
    if (option.inName) {
      nameOption = value;
      tier = index;
    }
    if (option.scalesWeight && option.values.length > 1) weightFraction = index / (option.values.length - 1);
  }

  const [minG, maxG] = leaf.weightGrams;
  const weightGrams =
    weightFraction === undefined
      ? logUniformInt(f, minG, maxG)
      : Math.max(1, Math.round((minG + (maxG - minG) * weightFraction) * f.number.float({ min: 0.85, max: 1.15 })));

  const lines = leaf.lines ?? [];
  const line = lines.length && f.datatype.boolean(leaf.lineShare ?? 0.6) ? pick(f, lines) : undefined;

  let brand: string;
  let name: string;
  let productType: string;
  let price: number;
  let subject: string; // how the first description sentence names the product
  const bookAttributes: Partial<SeedProductAttributes> = {};

  if (line) {
    brand = line.brand;
    productType = lineNoun(leaf, line);
    const model = line.name.startsWith(brand) ? line.name : `${brand} ${line.name}`;
    name = [model, nameOption, color].filter(Boolean).join(', ');
    price = linePriceCents(f, line.priceUsd, tier);
    subject = `The ${model}`;
  } else {
    brand = skewedPick(f, houseBrands(leaf.departmentSlug)).name;
    productType = pick(f, leaf.nouns);
    if (isBook) {
      const title = bookTitle(f, leaf);
      const author = f.person.fullName();
      const format = options.format ?? 'Paperback';
      name = `${title} by ${author}, ${format} ${productType} — ${brand}`;
      subject = title;
      bookAttributes.author = author;
      bookAttributes.pages = f.number.int({ min: 120, max: 720 });
      bookAttributes.isbn13 = isbn13(f);
      bookAttributes.language = 'English';
    } else {
      let adjective = f.datatype.boolean(0.25) ? f.commerce.productAdjective() : pick(f, leaf.adjectives);
      if (productType.toLowerCase().includes(adjective.toLowerCase())) adjective = '';
      const code = f.datatype.boolean(0.4)
        ? ` ${f.string.alpha({ length: 1, casing: 'upper' })}${f.number.int({ min: 1, max: 9 }) * 100}`
        : '';
      const base = `${brand}${adjective ? ` ${adjective}` : ''} ${productType}${code}`;
      name = [base, nameOption, color && f.datatype.boolean(0.5) ? color : undefined].filter(Boolean).join(', ');
      subject = `This ${lowerNoun(productType)}`;
    }
    price = leafPriceCents(f, leaf, nameOption ? 1 + 0.1 * tier : 1);
  }

  const sentences = [`${subject} ${pick(f, leaf.features)}.`];
  if (f.datatype.boolean(0.6)) {
    if (isBook) sentences.push(`${bookAttributes.pages} pages, ${(options.format ?? 'paperback').toLowerCase()} edition.`);
    else if (isBeauty) sentences.push(`Formulated with ${material} for visible results.`);
    else if (color) sentences.push(`Made of ${material}, finished in ${color.toLowerCase()}.`);
    else sentences.push(`Made of ${material}.`);
  }
  if (f.datatype.boolean(0.35)) sentences.push(pick(f, CLOSING_SENTENCES));

  const imageCount = f.helpers.weightedArrayElement([
    { weight: 2, value: 1 },
    { weight: 4, value: 2 },
    { weight: 3, value: 3 },
    { weight: 2, value: 4 },
  ]);
  const views = f.helpers.arrayElements(IMAGE_VIEWS, imageCount - 1);
  const images: ProductImage[] = Array.from({ length: imageCount }, (_, k) => ({
    url: `${IMAGE_BASE_URL}/${encodeURIComponent(sku)}/${k + 1}.jpg`,
    alt: k === 0 ? name : `${name}, ${views[k - 1]}`,
  }));

  const reference = (opts.referenceDate ?? SEED_REFERENCE_DATE).getTime();
  // Skewed towards recent: the catalog grew over time.
  const ageMs = Math.round(CREATED_SPAN_DAYS * DAY_MS * f.number.float({ min: 0, max: 1 }) ** 1.3);
  const createdMs = Math.floor((reference - ageMs) / 1000) * 1000;
  const updatedMs = f.datatype.boolean(0.4)
    ? Math.floor((createdMs + (reference - createdMs) * f.number.float({ min: 0, max: 1 })) / 1000) * 1000
    : createdMs;

  const attributes: SeedProductAttributes = { productType, weightGrams };
  if (color) attributes.color = color;
  if (isBeauty) attributes.keyIngredient = material;
  else if (!isBook) attributes.material = material;
  Object.assign(attributes, options, bookAttributes);

  return {
    sku,
    name,
    description: sentences.join(' '),
    brand,
    category: leaf.path,
    price_amount: price,
    currency: 'USD',
    images,
    attributes,
    created_at: new Date(createdMs),
    updated_at: new Date(updatedMs),
    stock: generateStock(f),
  };
}

/** Products first .. first+count-1. */
export function generateProducts(first: number, count: number, opts: GenerateOptions = {}): SeedProduct[] {
  return Array.from({ length: count }, (_, k) => generateProduct(first + k, opts));
}
