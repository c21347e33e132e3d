/**
 * The seeded catalog's 300 brands: the well-known makers of the model lines in `categories.ts`
 * (Apple, Samsung, Nike, …) plus invented house brands, each invented brand belonging to one
 * department ("Nordvik Home", "Calder Press"). Built once, deterministically, from a fixed seed.
 */
import { DEPARTMENTS, LEAF_CATEGORIES } from './categories';
import { CATALOG_SEED, reseed } from './rng';

export const BRAND_COUNT = 300;

export interface Brand {
  name: string;
  /** Well-known maker of model lines (true) or invented house brand (false). */
  known: boolean;
  /** Departments (slugs) the brand sells in. */
  departments: readonly string[];
}

const PREFIXES = [
  'Nord',
  'Vel',
  'Aur',
  'Kest',
  'Lum',
  'Brio',
  'Cobal',
  'Dun',
  'Elm',
  'Fal',
  'Gran',
  'Hal',
  'Iro',
  'Jun',
  'Kai',
  'Lark',
  'Mar',
  'Nov',
  'Ost',
  'Pel',
  'Quin',
  'Ros',
  'Sol',
  'Tam',
  'Umbr',
  'Ver',
  'Wex',
  'Yar',
  'Zen',
  'Ash',
  'Bel',
  'Cal',
  'Del',
  'Eve',
  'Fen',
  'Glen',
  'Hav',
  'Ivo',
  'Lin',
  'Mira',
  'Oak',
  'Pax',
  'Riv',
  'Sten',
  'Tor',
  'Vanta',
  'Wren',
  'Alder',
];
const SUFFIXES = ['ix', 'ora', 'vik', 'wave', 'line', 'craft', 'field', 'ford', 'ly', 'en', 'mont', 'ara', 'io', 'ston', 'well', 'a'];

/** Words an invented brand of a department may carry ("Nordvik Home"); '' means the bare name. */
const DEPARTMENT_WORDS: Record<string, readonly string[]> = {
  electronics: ['', '', 'Audio', 'Tech', 'Labs', 'Electronics'],
  computers: ['', '', 'Tech', 'Systems', 'Computing'],
  'home-kitchen': ['', '', 'Home', 'Living', 'Kitchen', '& Co.'],
  clothing: ['', '', 'Apparel', 'Supply Co.', 'Studio', 'Denim'],
  'shoes-accessories': ['', '', 'Footwear', 'Goods', 'Atelier'],
  'sports-outdoors': ['', '', 'Outdoor', 'Athletics', 'Gear'],
  beauty: ['', '', 'Beauty', 'Botanicals', 'Skin', 'Naturals'],
  'toys-games': ['', '', 'Toys', 'Games', 'Play'],
  books: ['Press', 'Books', 'Publishing', 'House'],
};

function buildBrands(): Brand[] {
  // Known brands, in order of first appearance in the tree.
  const known = new Map<string, Set<string>>();
  for (const leaf of LEAF_CATEGORIES) {
    for (const line of leaf.lines ?? []) {
      const depts = known.get(line.brand) ?? new Set<string>();
      depts.add(leaf.departmentSlug);
      known.set(line.brand, depts);
    }
  }
  const brands: Brand[] = [...known].map(([name, depts]) => ({ name, known: true, departments: [...depts] }));
  const taken = new Set(brands.map((b) => b.name.toLowerCase()));

  const f = reseed(CATALOG_SEED, 0x6272616e); // 'bran'
  const bases = f.helpers.shuffle(PREFIXES.flatMap((p) => SUFFIXES.map((s) => `${p}${s}`)));

  // Invented brands per department, in proportion to the department's share of products (the
  // known brands' departments get fewer, as those brands take part of their products).
  const inventedCount = BRAND_COUNT - brands.length;
  const weights = DEPARTMENTS.map((dept) => {
    const leaves = LEAF_CATEGORIES.filter((leaf) => leaf.departmentSlug === dept.slug);
    return leaves.reduce((sum, leaf) => sum + leaf.share * (1 - (leaf.lines?.length ? (leaf.lineShare ?? 0.6) : 0)), 0);
  });
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => Math.max(4, Math.floor((w / totalWeight) * inventedCount)));
  // Hand out the rounding remainder (or take back the excess) from the largest departments.
  const order = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0]);
  let diff = inventedCount - quotas.reduce((a, b) => a + b, 0);
  for (let k = 0; diff !== 0; k = (k + 1) % order.length) {
    const i = order[k]?.[1] ?? 0;
    const step = diff > 0 ? 1 : -1;
    quotas[i] = (quotas[i] ?? 0) + step;
    diff -= step;
  }

  let next = 0;
  DEPARTMENTS.forEach((dept, di) => {
    const words = DEPARTMENT_WORDS[dept.slug] ?? [''];
    for (let made = 0; made < (quotas[di] ?? 0); ) {
      const base = bases[next++];
      if (base === undefined) throw new Error('ran out of brand names');
      const word = f.helpers.arrayElement(words);
      const name = word ? `${base} ${word}` : base;
      if (taken.has(name.toLowerCase()) || taken.has(base.toLowerCase())) continue;
      taken.add(name.toLowerCase());
      taken.add(base.toLowerCase());
      brands.push({ name, known: false, departments: [dept.slug] });
      made++;
    }
  });
  return brands;
}

export const BRANDS: readonly Brand[] = buildBrands();
export const BRAND_NAMES: readonly string[] = BRANDS.map((b) => b.name);

const inventedByDepartment = new Map<string, Brand[]>();
for (const brand of BRANDS) {
  if (brand.known) continue;
  for (const dept of brand.departments) {
    const list = inventedByDepartment.get(dept) ?? [];
    list.push(brand);
    inventedByDepartment.set(dept, list);
  }
}

/** The invented house brands of a department, most popular first. */
export function houseBrands(departmentSlug: string): readonly Brand[] {
  const list = inventedByDepartment.get(departmentSlug);
  if (!list?.length) throw new Error(`no brands for department ${departmentSlug}`);
  return list;
}
