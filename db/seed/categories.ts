/**
 * The catalog's category tree: departments and their leaf categories, with everything the seed
 * needs to make believable products for each leaf (nouns, materials, options, price and weight
 * ranges, description phrases, well-known model lines).
 *
 * A product's `category` column holds the leaf's path, e.g. "Electronics > Phones" (see
 * `CATEGORY_SEPARATOR`); `LEAF_CATEGORIES`, `CATEGORY_TREE` and the lookups below are the one
 * place other code (API filters, search facets) should read the tree from.
 */

export const CATEGORY_SEPARATOR = ' > ';

/** An attribute option a product of the leaf takes one value of (e.g. size, storage). */
export interface LeafOption {
  /** Attribute key in `products.attributes`. */
  key: string;
  values: readonly string[];
  /** Whether the value also appears in the product name ("…, 256 GB"). */
  inName?: boolean;
  /** Values are in ascending physical size, so the shipping weight grows with them (TV sizes). */
  scalesWeight?: boolean;
}

/** A well-known model line, e.g. Apple "iPhone 16 Pro" at $999. */
export interface ModelLine {
  brand: string;
  name: string;
  priceUsd: number;
}

export interface LeafCategorySpec {
  slug: string;
  name: string;
  /** Relative share of the catalog's products. */
  share: number;
  /** Log-normal price: median and sigma (of ln price), clamped to [min, max], in USD. */
  price: { median: number; sigma: number; min: number; max: number };
  /** Shipping weight range in grams (log-uniform). */
  weightGrams: readonly [min: number, max: number];
  /** Product nouns, e.g. "Smartphone"; stored as `attributes.productType`. */
  nouns: readonly string[];
  adjectives: readonly string[];
  materials: readonly string[];
  /** Colour palette; `null` for leaves where colour means nothing (books, fragrance). */
  colors?: readonly string[] | null;
  options?: readonly LeafOption[];
  /** Phrases completing "This <noun> …" in descriptions. */
  features: readonly string[];
  lines?: readonly ModelLine[];
  /** Probability that a product of this leaf is one of its model lines (default 0.6). */
  lineShare?: number;
  /** Special naming: books get titles and authors. */
  naming?: 'book' | 'cookbook';
}

export interface LeafCategory extends LeafCategorySpec {
  /** Stored in `products.category`: "Department > Leaf". */
  path: string;
  department: string;
  departmentSlug: string;
  colors: readonly string[] | null;
}

export interface DepartmentSpec {
  slug: string;
  name: string;
  colors: readonly string[] | null;
  leaves: readonly LeafCategorySpec[];
}

export interface CategoryNode {
  slug: string;
  name: string;
  path: string;
  children: CategoryNode[];
}

const TECH_COLORS = ['Black', 'White', 'Silver', 'Space Gray', 'Graphite', 'Midnight Blue', 'Rose Gold', 'Sage Green'];
const HOME_COLORS = ['White', 'Black', 'Charcoal', 'Natural Oak', 'Walnut', 'Sage Green', 'Terracotta', 'Navy', 'Cream', 'Dusty Pink'];
const APPAREL_COLORS = [
  'Black',
  'White',
  'Navy',
  'Heather Grey',
  'Olive',
  'Burgundy',
  'Camel',
  'Sky Blue',
  'Forest Green',
  'Red',
  'Blush Pink',
  'Beige',
];
const ACCESSORY_COLORS = ['Black', 'Brown', 'Tan', 'Cognac', 'Navy', 'Olive', 'Gold', 'Silver', 'Rose Gold', 'Burgundy'];
const SPORT_COLORS = ['Black', 'Orange', 'Cobalt Blue', 'Lime Green', 'Red', 'Slate Grey', 'Yellow', 'Teal'];
const TOY_COLORS = ['Multicolor', 'Red', 'Blue', 'Green', 'Yellow', 'Purple'];

const APPAREL_SIZES: LeafOption = { key: 'size', values: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] };
const SHOE_SIZES: LeafOption = {
  key: 'size',
  values: ['US 5', 'US 6', 'US 7', 'US 7.5', 'US 8', 'US 8.5', 'US 9', 'US 9.5', 'US 10', 'US 10.5', 'US 11', 'US 12', 'US 13'],
};

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  {
    slug: 'electronics',
    name: 'Electronics',
    colors: TECH_COLORS,
    leaves: [
      {
        slug: 'phones',
        name: 'Phones',
        share: 3,
        price: { median: 420, sigma: 0.6, min: 79, max: 1899 },
        weightGrams: [140, 260],
        nouns: ['Smartphone', 'Phone', '5G Smartphone', 'Foldable Phone'],
        adjectives: ['Unlocked', 'Dual-SIM', 'Rugged', 'Compact', 'Ultra'],
        materials: ['aluminium', 'glass', 'titanium', 'recycled plastic'],
        colors: ['Black', 'White', 'Midnight', 'Starlight', 'Natural Titanium', 'Blue', 'Pink', 'Green', 'Graphite'],
        options: [{ key: 'storage', values: ['64 GB', '128 GB', '256 GB', '512 GB', '1 TB'], inName: true }],
        features: [
          'packs a bright OLED display and an all-day battery',
          'shoots crisp 48 MP photos, even in low light',
          'supports 5G and fast wireless charging',
          'ships unlocked and works with all major carriers',
          'is rated IP68 against dust and water',
        ],
        lineShare: 0.7,
        lines: [
          { brand: 'Apple', name: 'iPhone 16 Pro Max', priceUsd: 1199 },
          { brand: 'Apple', name: 'iPhone 16 Pro', priceUsd: 999 },
          { brand: 'Apple', name: 'iPhone 16', priceUsd: 799 },
          { brand: 'Apple', name: 'iPhone 15', priceUsd: 699 },
          { brand: 'Apple', name: 'iPhone SE', priceUsd: 429 },
          { brand: 'Samsung', name: 'Galaxy S24 Ultra', priceUsd: 1299 },
          { brand: 'Samsung', name: 'Galaxy S24', priceUsd: 799 },
          { brand: 'Samsung', name: 'Galaxy Z Flip6', priceUsd: 1099 },
          { brand: 'Samsung', name: 'Galaxy A55', priceUsd: 449 },
          { brand: 'Google', name: 'Pixel 9 Pro', priceUsd: 999 },
          { brand: 'Google', name: 'Pixel 9', priceUsd: 799 },
          { brand: 'Google', name: 'Pixel 8a', priceUsd: 499 },
          { brand: 'OnePlus', name: 'OnePlus 12', priceUsd: 799 },
          { brand: 'OnePlus', name: 'Nord N30', priceUsd: 299 },
          { brand: 'Motorola', name: 'Moto G Power', priceUsd: 299 },
          { brand: 'Motorola', name: 'Edge 2024', priceUsd: 549 },
          { brand: 'Xiaomi', name: 'Redmi Note 13', priceUsd: 249 },
        ],
      },
      {
        slug: 'tablets',
        name: 'Tablets',
        share: 1.5,
        price: { median: 330, sigma: 0.55, min: 69, max: 1599 },
        weightGrams: [290, 720],
        nouns: ['Tablet', 'Android Tablet', 'Kids Tablet', 'Drawing Tablet'],
        adjectives: ['Lightweight', 'Slim', '10-inch', '11-inch', 'Wi-Fi'],
        materials: ['aluminium', 'glass', 'recycled plastic'],
        options: [{ key: 'storage', values: ['64 GB', '128 GB', '256 GB', '512 GB'], inName: true }],
        features: [
          'has a laminated display that works with a stylus',
          'streams video for up to 12 hours on one charge',
          'pairs with a keyboard case for work on the go',
          'includes parental controls and a kids profile',
        ],
        lineShare: 0.55,
        lines: [
          { brand: 'Apple', name: 'iPad Pro 13-inch', priceUsd: 1299 },
          { brand: 'Apple', name: 'iPad Air', priceUsd: 599 },
          { brand: 'Apple', name: 'iPad mini', priceUsd: 499 },
          { brand: 'Apple', name: 'iPad', priceUsd: 349 },
          { brand: 'Samsung', name: 'Galaxy Tab S9', priceUsd: 799 },
          { brand: 'Samsung', name: 'Galaxy Tab A9+', priceUsd: 219 },
          { brand: 'Lenovo', name: 'Tab P12', priceUsd: 349 },
          { brand: 'Amazon', name: 'Fire HD 10', priceUsd: 139 },
        ],
      },
      {
        slug: 'headphones',
        name: 'Headphones',
        share: 3,
        price: { median: 60, sigma: 0.9, min: 9, max: 899 },
        weightGrams: [40, 420],
        nouns: ['Wireless Headphones', 'Over-Ear Headphones', 'Earbuds', 'Noise Cancelling Headphones', 'Gaming Headset'],
        adjectives: ['Wireless', 'Bluetooth', 'Foldable', 'Studio', 'Sport', 'True Wireless'],
        materials: ['protein leather', 'memory foam', 'aluminium', 'ABS plastic'],
        features: [
          'blocks out the commute with active noise cancellation',
          'plays for up to 30 hours on a single charge',
          'pairs instantly with phones, tablets and laptops',
          'has a built-in microphone for crystal-clear calls',
          'sounds rich and detailed at any volume',
        ],
        lineShare: 0.35,
        lines: [
          { brand: 'Apple', name: 'AirPods Pro 2', priceUsd: 249 },
          { brand: 'Apple', name: 'AirPods Max', priceUsd: 549 },
          { brand: 'Sony', name: 'WH-1000XM5 Wireless Headphones', priceUsd: 399 },
          { brand: 'Sony', name: 'WF-1000XM5 Earbuds', priceUsd: 299 },
          { brand: 'Bose', name: 'QuietComfort Ultra Headphones', priceUsd: 429 },
          { brand: 'Bose', name: 'QuietComfort Earbuds II', priceUsd: 279 },
          { brand: 'Sennheiser', name: 'Momentum 4 Wireless', priceUsd: 379 },
          { brand: 'JBL', name: 'Tune 770NC Headphones', priceUsd: 129 },
          { brand: 'Beats', name: 'Studio Pro Headphones', priceUsd: 349 },
          { brand: 'Samsung', name: 'Galaxy Buds3 Pro', priceUsd: 249 },
        ],
      },
      {
        slug: 'televisions',
        name: 'Televisions',
        share: 1.5,
        price: { median: 520, sigma: 0.7, min: 119, max: 4999 },
        weightGrams: [5_500, 38_000],
        nouns: ['Smart TV', '4K UHD TV', 'OLED TV', 'QLED TV'],
        adjectives: ['4K', 'HDR', 'Smart', 'Ultra Slim', '120 Hz'],
        materials: ['aluminium', 'plastic'],
        colors: ['Black', 'Titan Gray', 'Silver'],
        options: [
          { key: 'screenSize', values: ['32 in', '43 in', '50 in', '55 in', '65 in', '75 in', '85 in'], inName: true, scalesWeight: true },
        ],
        features: [
          'delivers deep blacks and vivid colour with HDR10+ and Dolby Vision',
          'runs every major streaming app out of the box',
          'has a 120 Hz panel made for fast sports and gaming',
          'responds to voice commands through the included remote',
        ],
        lineShare: 0.6,
        lines: [
          { brand: 'Samsung', name: 'Neo QLED QN90D', priceUsd: 1799 },
          { brand: 'Samsung', name: 'Crystal UHD DU7200', priceUsd: 449 },
          { brand: 'LG', name: 'OLED evo C4', priceUsd: 1999 },
          { brand: 'LG', name: 'OLED evo G4', priceUsd: 2999 },
          { brand: 'Sony', name: 'Bravia 7 Mini LED', priceUsd: 1599 },
          { brand: 'TCL', name: 'QM8 QLED', priceUsd: 1299 },
          { brand: 'Hisense', name: 'U8 Mini-LED', priceUsd: 999 },
        ],
      },
      {
        slug: 'cameras',
        name: 'Cameras',
        share: 1.5,
        price: { median: 380, sigma: 0.9, min: 39, max: 4499 },
        weightGrams: [120, 1_400],
        nouns: ['Mirrorless Camera', 'Action Camera', 'Instant Camera', 'Digital Camera', 'Vlogging Camera'],
        adjectives: ['Full-Frame', 'Compact', '4K', 'Waterproof', 'Vlogging'],
        materials: ['magnesium alloy', 'polycarbonate', 'aluminium'],
        colors: ['Black', 'Silver', 'White'],
        features: [
          'records sharp 4K video with in-body stabilisation',
          'focuses fast with eye tracking for people and animals',
          'is light enough to carry all day',
          'transfers photos to your phone over Wi-Fi',
        ],
        lineShare: 0.55,
        lines: [
          { brand: 'Canon', name: 'EOS R6 Mark II', priceUsd: 2499 },
          { brand: 'Canon', name: 'EOS R50', priceUsd: 679 },
          { brand: 'Nikon', name: 'Z6 III', priceUsd: 2499 },
          { brand: 'Nikon', name: 'Z fc', priceUsd: 959 },
          { brand: 'Sony', name: 'Alpha 7 IV', priceUsd: 2499 },
          { brand: 'Sony', name: 'ZV-E10 II', priceUsd: 999 },
          { brand: 'Fujifilm', name: 'X-T5', priceUsd: 1699 },
          { brand: 'Fujifilm', name: 'Instax Mini 12', priceUsd: 79 },
          { brand: 'GoPro', name: 'HERO12 Black', priceUsd: 399 },
        ],
      },
      {
        slug: 'smartwatches',
        name: 'Smartwatches',
        share: 1.5,
        price: { median: 180, sigma: 0.7, min: 29, max: 1099 },
        weightGrams: [30, 90],
        nouns: ['Smartwatch', 'Fitness Tracker', 'GPS Running Watch'],
        adjectives: ['GPS', 'Waterproof', 'Slim', 'Sport', 'Always-On'],
        materials: ['aluminium', 'stainless steel', 'titanium', 'silicone'],
        options: [{ key: 'caseSize', values: ['38 mm', '41 mm', '42 mm', '44 mm', '45 mm', '46 mm'], inName: true }],
        features: [
          'tracks heart rate, sleep and blood oxygen around the clock',
          'maps runs and rides with built-in dual-band GPS',
          'shows notifications and lets you pay from your wrist',
          'lasts up to a week between charges',
        ],
        lineShare: 0.6,
        lines: [
          { brand: 'Apple', name: 'Watch Series 10', priceUsd: 399 },
          { brand: 'Apple', name: 'Watch Ultra 2', priceUsd: 799 },
          { brand: 'Samsung', name: 'Galaxy Watch7', priceUsd: 299 },
          { brand: 'Garmin', name: 'Forerunner 265', priceUsd: 449 },
          { brand: 'Garmin', name: 'fenix 8', priceUsd: 999 },
          { brand: 'Fitbit', name: 'Versa 4', priceUsd: 199 },
          { brand: 'Fitbit', name: 'Charge 6', priceUsd: 159 },
        ],
      },
      {
        slug: 'speakers',
        name: 'Speakers',
        share: 2,
        price: { median: 70, sigma: 0.85, min: 15, max: 1499 },
        weightGrams: [180, 6_500],
        nouns: ['Bluetooth Speaker', 'Smart Speaker', 'Soundbar', 'Portable Speaker', 'Bookshelf Speaker'],
        adjectives: ['Portable', 'Waterproof', 'Wireless', 'Rugged', 'Multi-Room'],
        materials: ['fabric', 'aluminium', 'silicone', 'wood veneer'],
        features: [
          'fills a room with 360-degree sound and punchy bass',
          'connects over Bluetooth or Wi-Fi in seconds',
          'groups with other speakers for whole-home audio',
          'delivers clear vocals even at low volume',
        ],
        lineShare: 0.35,
        lines: [
          { brand: 'Sonos', name: 'Era 100 Smart Speaker', priceUsd: 249 },
          { brand: 'Sonos', name: 'Arc Soundbar', priceUsd: 899 },
          { brand: 'JBL', name: 'Flip 6 Portable Speaker', priceUsd: 129 },
          { brand: 'JBL', name: 'Charge 5 Bluetooth Speaker', priceUsd: 179 },
          { brand: 'Bose', name: 'SoundLink Flex', priceUsd: 149 },
          { brand: 'Ultimate Ears', name: 'BOOM 4', priceUsd: 149 },
        ],
      },
      {
        slug: 'chargers-cables',
        name: 'Chargers & Cables',
        share: 4,
        price: { median: 16, sigma: 0.6, min: 4, max: 199 },
        weightGrams: [20, 450],
        nouns: ['USB-C Cable', 'Wall Charger', 'Power Bank', 'Wireless Charger', 'Car Charger', 'Lightning Cable', 'HDMI Cable'],
        adjectives: ['Fast-Charging', 'Braided', '65W', 'Compact', 'Magnetic', 'Dual-Port'],
        materials: ['braided nylon', 'TPE', 'aluminium', 'polycarbonate'],
        colors: ['Black', 'White', 'Grey', 'Blue'],
        options: [{ key: 'length', values: ['0.5 m', '1 m', '2 m', '3 m'] }],
        features: [
          'works with phones, tablets and laptops',
          'protects your devices from over-voltage and heat',
          'is built to survive years of daily use',
          'comes in a compact, travel-friendly size',
        ],
        lineShare: 0.15,
        lines: [
          { brand: 'Anker', name: 'Nano Charger 30W', priceUsd: 25 },
          { brand: 'Anker', name: 'PowerCore 10000 Power Bank', priceUsd: 29 },
          { brand: 'Belkin', name: 'BoostCharge Pro 3-in-1', priceUsd: 129 },
          { brand: 'Apple', name: 'USB-C to Lightning Cable', priceUsd: 19 },
        ],
      },
    ],
  },
  {
    slug: 'computers',
    name: 'Computers',
    colors: TECH_COLORS,
    leaves: [
      {
        slug: 'laptops',
        name: 'Laptops',
        share: 2,
        price: { median: 780, sigma: 0.55, min: 199, max: 4299 },
        weightGrams: [980, 3_200],
        nouns: ['Laptop', 'Notebook', 'Chromebook', 'Gaming Laptop', '2-in-1 Laptop'],
        adjectives: ['Thin', 'Lightweight', '14-inch', '16-inch', 'Touchscreen', 'Business'],
        materials: ['aluminium', 'magnesium alloy', 'recycled plastic', 'carbon fibre'],
        options: [
          {
            key: 'configuration',
            values: ['8 GB RAM, 256 GB SSD', '16 GB RAM, 512 GB SSD', '16 GB RAM, 1 TB SSD', '32 GB RAM, 1 TB SSD'],
            inName: true,
          },
        ],
        features: [
          'lasts a full working day on one charge',
          'boots in seconds from a fast NVMe SSD',
          'has a backlit keyboard and a 1080p webcam',
          'handles work, school and streaming with ease',
        ],
        lineShare: 0.6,
        lines: [
          { brand: 'Apple', name: 'MacBook Air 13-inch', priceUsd: 999 },
          { brand: 'Apple', name: 'MacBook Pro 14-inch', priceUsd: 1599 },
          { brand: 'Dell', name: 'XPS 13', priceUsd: 1099 },
          { brand: 'Dell', name: 'Inspiron 15', priceUsd: 549 },
          { brand: 'Lenovo', name: 'ThinkPad X1 Carbon', priceUsd: 1649 },
          { brand: 'Lenovo', name: 'IdeaPad Slim 5', priceUsd: 649 },
          { brand: 'HP', name: 'Spectre x360', priceUsd: 1449 },
          { brand: 'HP', name: 'Pavilion 15', priceUsd: 599 },
          { brand: 'ASUS', name: 'Zenbook 14 OLED', priceUsd: 899 },
          { brand: 'ASUS', name: 'ROG Zephyrus G14', priceUsd: 1599 },
          { brand: 'Microsoft', name: 'Surface Laptop 7', priceUsd: 999 },
        ],
      },
      {
        slug: 'monitors',
        name: 'Monitors',
        share: 1.5,
        price: { median: 240, sigma: 0.6, min: 79, max: 1999 },
        weightGrams: [2_800, 9_500],
        nouns: ['Monitor', 'Gaming Monitor', 'Curved Monitor', 'Portable Monitor', '4K Monitor'],
        adjectives: ['IPS', '144 Hz', 'Ultrawide', 'USB-C', 'Frameless'],
        materials: ['aluminium', 'plastic'],
        colors: ['Black', 'White', 'Silver'],
        options: [{ key: 'screenSize', values: ['24 in', '27 in', '32 in', '34 in', '49 in'], inName: true, scalesWeight: true }],
        features: [
          'charges your laptop over a single USB-C cable',
          'keeps fast games smooth at 144 Hz with adaptive sync',
          'covers 99% of sRGB for accurate photo editing',
          'tilts, swivels and rotates on an adjustable stand',
        ],
        lineShare: 0.4,
        lines: [
          { brand: 'Dell', name: 'UltraSharp U2723QE', priceUsd: 579 },
          { brand: 'LG', name: 'UltraGear 27GR93U', priceUsd: 499 },
          { brand: 'Samsung', name: 'Odyssey G7', priceUsd: 699 },
          { brand: 'ASUS', name: 'ProArt PA278QV', priceUsd: 329 },
        ],
      },
      {
        slug: 'keyboards-mice',
        name: 'Keyboards & Mice',
        share: 2.5,
        price: { median: 45, sigma: 0.75, min: 9, max: 349 },
        weightGrams: [60, 1_300],
        nouns: ['Mechanical Keyboard', 'Wireless Mouse', 'Gaming Mouse', 'Keyboard and Mouse Combo', 'Ergonomic Keyboard', 'Trackpad'],
        adjectives: ['Wireless', 'RGB', 'Low-Profile', 'Ergonomic', 'Silent', 'Tenkeyless'],
        materials: ['aluminium', 'PBT plastic', 'ABS plastic'],
        colors: ['Black', 'White', 'Graphite', 'Pale Grey', 'Lilac'],
        features: [
          'switches between three devices at the press of a button',
          'connects over Bluetooth or a USB receiver',
          'is designed for all-day comfort',
          'runs for months on a single charge',
        ],
        lineShare: 0.3,
        lines: [
          { brand: 'Logitech', name: 'MX Master 3S Mouse', priceUsd: 99 },
          { brand: 'Logitech', name: 'MX Keys S Keyboard', priceUsd: 109 },
          { brand: 'Logitech', name: 'G502 HERO Gaming Mouse', priceUsd: 49 },
          { brand: 'Razer', name: 'BlackWidow V4 Keyboard', priceUsd: 169 },
          { brand: 'Apple', name: 'Magic Keyboard', priceUsd: 99 },
          { brand: 'Keychron', name: 'K2 Mechanical Keyboard', priceUsd: 79 },
        ],
      },
      {
        slug: 'storage-drives',
        name: 'Storage Drives',
        share: 2,
        price: { median: 85, sigma: 0.7, min: 12, max: 899 },
        weightGrams: [8, 650],
        nouns: ['Portable SSD', 'External Hard Drive', 'USB Flash Drive', 'microSD Card', 'Internal NVMe SSD'],
        adjectives: ['Rugged', 'High-Speed', 'Compact', 'USB 3.2', 'Encrypted'],
        materials: ['aluminium', 'plastic', 'rubber'],
        colors: ['Black', 'Blue', 'Red', 'Grey'],
        options: [{ key: 'capacity', values: ['64 GB', '128 GB', '256 GB', '500 GB', '1 TB', '2 TB', '4 TB', '8 TB'], inName: true }],
        features: [
          'transfers large files in seconds',
          'is tested to survive drops, dust and water',
          'works with Windows, macOS, Android and cameras',
          'keeps your photos and videos safe',
        ],
        lineShare: 0.35,
        lines: [
          { brand: 'Samsung', name: 'T7 Shield Portable SSD', priceUsd: 129 },
          { brand: 'Samsung', name: '990 PRO NVMe SSD', priceUsd: 179 },
          { brand: 'SanDisk', name: 'Extreme Portable SSD', priceUsd: 139 },
          { brand: 'SanDisk', name: 'Ultra microSDXC Card', priceUsd: 19 },
          { brand: 'Seagate', name: 'Expansion External Hard Drive', priceUsd: 89 },
          { brand: 'WD', name: 'My Passport', priceUsd: 79 },
        ],
      },
    ],
  },
  {
    slug: 'home-kitchen',
    name: 'Home & Kitchen',
    colors: HOME_COLORS,
    leaves: [
      {
        slug: 'cookware',
        name: 'Cookware',
        share: 3,
        price: { median: 45, sigma: 0.7, min: 9, max: 699 },
        weightGrams: [400, 7_000],
        nouns: ['Frying Pan', 'Skillet', 'Dutch Oven', 'Saucepan', 'Stockpot', 'Cookware Set', 'Wok', 'Baking Sheet'],
        adjectives: ['Nonstick', 'Cast Iron', 'Tri-Ply', 'Enamelled', 'Oven-Safe', 'Induction-Ready'],
        materials: ['stainless steel', 'cast iron', 'hard-anodised aluminium', 'carbon steel', 'ceramic-coated aluminium'],
        options: [{ key: 'size', values: ['8 in', '10 in', '12 in', '3 qt', '5.5 qt', '7 qt', '10-piece set'], inName: true }],
        features: [
          'heats evenly with no hot spots',
          'is oven safe up to 260 °C',
          'cleans up easily after every meal',
          'is built to last a lifetime of cooking',
        ],
        lineShare: 0.2,
        lines: [
          { brand: 'Le Creuset', name: 'Signature Round Dutch Oven', priceUsd: 420 },
          { brand: 'Lodge', name: 'Cast Iron Skillet', priceUsd: 29 },
          { brand: 'All-Clad', name: 'D3 Stainless Fry Pan', priceUsd: 129 },
        ],
      },
      {
        slug: 'small-appliances',
        name: 'Small Appliances',
        share: 2.5,
        price: { median: 85, sigma: 0.75, min: 15, max: 999 },
        weightGrams: [900, 11_000],
        nouns: ['Air Fryer', 'Blender', 'Stand Mixer', 'Toaster', 'Pressure Cooker', 'Stick Vacuum', 'Food Processor', 'Rice Cooker'],
        adjectives: ['Digital', 'Compact', 'High-Power', 'Programmable', 'Cordless'],
        materials: ['stainless steel', 'BPA-free plastic', 'die-cast metal'],
        features: [
          'has simple one-touch controls',
          'is easy to clean and store',
          'runs quietly and efficiently',
          'saves time on everyday chores',
        ],
        lineShare: 0.3,
        lines: [
          { brand: 'KitchenAid', name: 'Artisan Stand Mixer', priceUsd: 449 },
          { brand: 'Instant Pot', name: 'Duo 7-in-1 Pressure Cooker', priceUsd: 99 },
          { brand: 'Ninja', name: 'Air Fryer Max XL', priceUsd: 129 },
          { brand: 'Vitamix', name: 'E310 Explorian Blender', priceUsd: 349 },
          { brand: 'Dyson', name: 'V15 Detect Cordless Vacuum', priceUsd: 749 },
        ],
      },
      {
        slug: 'coffee-tea',
        name: 'Coffee & Tea',
        share: 2.5,
        price: { median: 40, sigma: 0.9, min: 8, max: 1499 },
        weightGrams: [250, 9_000],
        nouns: [
          'Espresso Machine',
          'Coffee Maker',
          'Burr Grinder',
          'French Press',
          'Electric Kettle',
          'Pour-Over Set',
          'Teapot',
          'Milk Frother',
        ],
        adjectives: ['Programmable', 'Gooseneck', 'Insulated', 'Barista', 'Single-Serve'],
        materials: ['stainless steel', 'borosilicate glass', 'ceramic', 'cast aluminium'],
        options: [{ key: 'capacity', values: ['0.6 L', '1 L', '1.2 L', '1.7 L', '12 cups'] }],
        features: [
          'makes café-quality drinks at home',
          'is easy to clean between uses',
          'looks great on any countertop',
          'is built for daily brewing',
        ],
        lineShare: 0.25,
        lines: [
          { brand: 'Breville', name: 'Barista Express Espresso Machine', priceUsd: 699 },
          { brand: 'Nespresso', name: 'Vertuo Pop', priceUsd: 129 },
          { brand: 'Bodum', name: 'Chambord French Press', priceUsd: 45 },
          { brand: 'Fellow', name: 'Stagg EKG Electric Kettle', priceUsd: 165 },
        ],
      },
      {
        slug: 'bedding',
        name: 'Bedding',
        share: 3,
        price: { median: 55, sigma: 0.6, min: 12, max: 599 },
        weightGrams: [350, 4_500],
        nouns: ['Sheet Set', 'Duvet Cover', 'Comforter', 'Pillow', 'Weighted Blanket', 'Quilt', 'Mattress Topper'],
        adjectives: ['Breathable', 'Organic', 'Hypoallergenic', 'Cooling', 'Ultra-Soft'],
        materials: ['organic cotton', 'linen', 'bamboo viscose', 'microfibre', 'sateen cotton', 'down alternative'],
        options: [{ key: 'size', values: ['Twin', 'Full', 'Queen', 'King', 'California King'], inName: true, scalesWeight: true }],
        features: [
          'keeps you cool on warm summer nights',
          'gets softer with every wash',
          'is OEKO-TEX certified free of harmful substances',
          'is machine washable for easy care',
        ],
      },
      {
        slug: 'furniture',
        name: 'Furniture',
        share: 2,
        price: { median: 220, sigma: 0.8, min: 35, max: 3999 },
        weightGrams: [3_000, 45_000],
        nouns: ['Sofa', 'Bookshelf', 'Desk', 'Office Chair', 'Coffee Table', 'Nightstand', 'Dining Chair', 'Bed Frame'],
        adjectives: ['Mid-Century', 'Modern', 'Solid Wood', 'Adjustable', 'Upholstered', 'Scandinavian'],
        materials: ['solid oak', 'walnut veneer', 'steel', 'velvet', 'boucle', 'rattan'],
        features: [
          'assembles in about 20 minutes with the included tools',
          'is built from sustainably sourced materials',
          'has a scratch-resistant finish',
          'brings a clean, modern look to any room',
        ],
      },
      {
        slug: 'lighting',
        name: 'Lighting',
        share: 2.5,
        price: { median: 48, sigma: 0.75, min: 8, max: 899 },
        weightGrams: [150, 6_500],
        nouns: ['Table Lamp', 'Floor Lamp', 'Pendant Light', 'Smart Bulb', 'LED Strip Light', 'Desk Lamp', 'Wall Sconce'],
        adjectives: ['Dimmable', 'Smart', 'Industrial', 'Minimalist', 'Warm White'],
        materials: ['brass', 'linen', 'glass', 'steel', 'rattan', 'ceramic'],
        colors: ['Brass', 'Black', 'White', 'Chrome', 'Natural', 'Opal'],
        features: [
          'dims smoothly from a soft glow to full brightness',
          'creates a warm, inviting atmosphere',
          'uses an energy-saving LED rated for 25,000 hours',
          'casts a warm, glare-free light',
        ],
        lineShare: 0.15,
        lines: [
          { brand: 'Philips Hue', name: 'White and Color Ambiance Smart Bulb', priceUsd: 49 },
          { brand: 'Philips Hue', name: 'Lightstrip Plus', priceUsd: 79 },
        ],
      },
      {
        slug: 'home-decor',
        name: 'Home Decor',
        share: 4,
        price: { median: 28, sigma: 0.75, min: 5, max: 499 },
        weightGrams: [80, 6_000],
        nouns: ['Throw Pillow', 'Vase', 'Wall Art', 'Scented Candle', 'Area Rug', 'Mirror', 'Picture Frame', 'Throw Blanket'],
        adjectives: ['Handmade', 'Boho', 'Minimalist', 'Vintage', 'Textured', 'Hand-Woven'],
        materials: ['ceramic', 'jute', 'wool', 'soy wax', 'stoneware', 'cotton', 'mango wood'],
        options: [{ key: 'scent', values: ['Sandalwood', 'Fig', 'Sea Salt', 'Lavender', 'Cedar', 'Vanilla'] }],
        features: [
          'adds texture and warmth to any room',
          'is made by hand, so each piece is slightly different',
          'pairs well with neutral and bold interiors alike',
          'makes an easy update to a tired room',
        ],
      },
      {
        slug: 'storage-organization',
        name: 'Storage & Organization',
        share: 3,
        price: { median: 24, sigma: 0.7, min: 4, max: 299 },
        weightGrams: [100, 8_000],
        nouns: [
          'Storage Bin',
          'Drawer Organizer',
          'Shoe Rack',
          'Closet System',
          'Laundry Basket',
          'Food Storage Containers',
          'Hanging Shelf',
        ],
        adjectives: ['Stackable', 'Collapsible', 'Clear', 'Modular', 'Airtight'],
        materials: ['bamboo', 'BPA-free plastic', 'seagrass', 'powder-coated steel', 'felt'],
        features: [
          'makes the most of small spaces',
          'is sturdy enough for everyday use',
          'helps you find things at a glance',
          'keeps clutter out of sight',
        ],
      },
    ],
  },
  {
    slug: 'clothing',
    name: 'Clothing',
    colors: APPAREL_COLORS,
    leaves: [
      {
        slug: 't-shirts',
        name: 'T-Shirts',
        share: 4,
        price: { median: 18, sigma: 0.45, min: 5, max: 120 },
        weightGrams: [120, 260],
        nouns: ['T-Shirt', 'Crew Neck Tee', 'V-Neck T-Shirt', 'Graphic Tee', 'Pocket Tee', 'Long Sleeve T-Shirt'],
        adjectives: ['Classic', 'Slim-Fit', 'Relaxed', 'Heavyweight', 'Organic', 'Oversized'],
        materials: ['100% cotton', 'organic cotton', 'cotton-modal blend', 'recycled polyester'],
        options: [APPAREL_SIZES],
        features: [
          'holds its shape wash after wash',
          'is cut from soft, breathable jersey',
          'has a tagless neck for all-day comfort',
          'layers easily under shirts and jackets',
        ],
      },
      {
        slug: 'jeans',
        name: 'Jeans',
        share: 3,
        price: { median: 48, sigma: 0.45, min: 15, max: 250 },
        weightGrams: [450, 900],
        nouns: ['Jeans', 'Slim Jeans', 'Straight-Leg Jeans', 'Bootcut Jeans', 'Skinny Jeans', 'Denim Shorts'],
        adjectives: ['Stretch', 'High-Rise', 'Mid-Rise', 'Selvedge', 'Distressed', 'Raw'],
        materials: ['cotton denim', 'stretch denim', 'organic cotton denim', 'selvedge denim'],
        colors: ['Indigo', 'Light Wash', 'Dark Wash', 'Black', 'Grey', 'White'],
        options: [{ key: 'size', values: ['28W x 30L', '30W x 30L', '30W x 32L', '32W x 32L', '34W x 32L', '36W x 34L', '38W x 34L'] }],
        features: [
          'moves with you thanks to a touch of stretch',
          'fades beautifully the more you wear it',
          'has deep front pockets that fit a phone',
          'is washed for a soft, lived-in feel',
        ],
        lineShare: 0.2,
        lines: [
          { brand: "Levi's", name: '501 Original Fit Jeans', priceUsd: 79 },
          { brand: "Levi's", name: '511 Slim Fit Jeans', priceUsd: 69 },
        ],
      },
      {
        slug: 'jackets-coats',
        name: 'Jackets & Coats',
        share: 2.5,
        price: { median: 95, sigma: 0.6, min: 25, max: 899 },
        weightGrams: [350, 2_200],
        nouns: ['Puffer Jacket', 'Rain Jacket', 'Wool Coat', 'Denim Jacket', 'Parka', 'Fleece Jacket', 'Bomber Jacket', 'Trench Coat'],
        adjectives: ['Waterproof', 'Insulated', 'Packable', 'Lightweight', 'Hooded', 'Windproof'],
        materials: ['recycled nylon', 'wool blend', 'Gore-Tex', 'cotton twill', 'polar fleece', 'down fill'],
        options: [APPAREL_SIZES],
        features: [
          'layers easily over sweaters',
          'has zipped hand pockets to keep essentials safe',
          'keeps out the wind on chilly days',
          'is cut for easy movement',
        ],
        lineShare: 0.2,
        lines: [
          { brand: 'The North Face', name: 'Nuptse Puffer Jacket', priceUsd: 320 },
          { brand: 'Patagonia', name: 'Torrentshell 3L Rain Jacket', priceUsd: 179 },
          { brand: 'Columbia', name: 'Steens Mountain Fleece Jacket', priceUsd: 60 },
        ],
      },
      {
        slug: 'dresses',
        name: 'Dresses',
        share: 3,
        price: { median: 45, sigma: 0.55, min: 12, max: 450 },
        weightGrams: [150, 700],
        nouns: ['Midi Dress', 'Maxi Dress', 'Wrap Dress', 'Shirt Dress', 'Slip Dress', 'Sundress', 'Sweater Dress'],
        adjectives: ['Floral', 'Pleated', 'Sleeveless', 'Tiered', 'Belted', 'Smocked'],
        materials: ['linen', 'viscose', 'silk', 'cotton poplin', 'satin', 'jersey'],
        options: [APPAREL_SIZES],
        features: [
          'drapes beautifully and moves with you',
          'has hidden pockets in the side seams',
          'goes from the office to dinner with a change of shoes',
          'is fully lined so it is never see-through',
        ],
      },
      {
        slug: 'sweaters',
        name: 'Sweaters',
        share: 2.5,
        price: { median: 55, sigma: 0.55, min: 15, max: 400 },
        weightGrams: [250, 900],
        nouns: ['Crewneck Sweater', 'Cardigan', 'Turtleneck', 'Hoodie', 'Quarter-Zip Pullover', 'Cable-Knit Sweater'],
        adjectives: ['Chunky', 'Fine-Knit', 'Cozy', 'Oversized', 'Ribbed'],
        materials: ['merino wool', 'cashmere', 'cotton', 'lambswool', 'alpaca blend', 'fleece-back cotton'],
        options: [APPAREL_SIZES],
        features: [
          'is soft enough to wear against the skin',
          'keeps you warm without bulk',
          'resists pilling after repeated wear',
          'layers over a shirt or under a coat',
        ],
      },
      {
        slug: 'activewear',
        name: 'Activewear',
        share: 3,
        price: { median: 35, sigma: 0.5, min: 9, max: 220 },
        weightGrams: [90, 600],
        nouns: ['Leggings', 'Running Shorts', 'Sports Bra', 'Training Tee', 'Track Jacket', 'Joggers'],
        adjectives: ['Moisture-Wicking', 'Quick-Dry', 'Seamless', 'High-Waisted', 'Reflective'],
        materials: ['nylon-spandex', 'recycled polyester', 'merino blend', 'mesh'],
        options: [APPAREL_SIZES],
        features: [
          'wicks sweat and dries fast',
          'has a squat-proof, four-way stretch fabric',
          'moves with you through every workout',
          'is reflective for early-morning runs',
        ],
        lineShare: 0.2,
        lines: [
          { brand: 'Lululemon', name: 'Align High-Rise Leggings', priceUsd: 98 },
          { brand: 'Nike', name: 'Dri-FIT Running Shorts', priceUsd: 40 },
          { brand: 'Under Armour', name: 'Tech 2.0 Training Tee', priceUsd: 25 },
        ],
      },
    ],
  },
  {
    slug: 'shoes-accessories',
    name: 'Shoes & Accessories',
    colors: ACCESSORY_COLORS,
    leaves: [
      {
        slug: 'sneakers',
        name: 'Sneakers',
        share: 3.5,
        price: { median: 75, sigma: 0.45, min: 20, max: 450 },
        weightGrams: [550, 1_300],
        nouns: ['Running Shoes', 'Sneakers', 'Trail Running Shoes', 'Basketball Shoes', 'Walking Shoes', 'Slip-On Sneakers'],
        adjectives: ['Lightweight', 'Cushioned', 'Breathable', 'Low-Top', 'High-Top', 'Retro'],
        materials: ['engineered mesh', 'leather', 'suede', 'canvas', 'knit'],
        colors: ['White', 'Black', 'Triple White', 'Grey', 'Navy', 'Red', 'Green', 'Cream'],
        options: [SHOE_SIZES],
        features: [
          'cushions every stride with a responsive foam midsole',
          'grips wet pavement with a rubber outsole',
          'breathes on hot days thanks to an open mesh upper',
          'is built for daily miles and weekend races',
        ],
        lineShare: 0.55,
        lines: [
          { brand: 'Nike', name: 'Air Max 90', priceUsd: 130 },
          { brand: 'Nike', name: 'Air Force 1 07', priceUsd: 115 },
          { brand: 'Nike', name: 'Pegasus 41 Running Shoes', priceUsd: 140 },
          { brand: 'Adidas', name: 'Ultraboost Light', priceUsd: 190 },
          { brand: 'Adidas', name: 'Samba OG', priceUsd: 100 },
          { brand: 'Adidas', name: 'Stan Smith', priceUsd: 100 },
          { brand: 'New Balance', name: '990v6', priceUsd: 200 },
          { brand: 'New Balance', name: '574 Core', priceUsd: 90 },
          { brand: 'ASICS', name: 'Gel-Kayano 31', priceUsd: 165 },
          { brand: 'Converse', name: 'Chuck Taylor All Star', priceUsd: 65 },
          { brand: 'Vans', name: 'Old Skool', priceUsd: 70 },
          { brand: 'HOKA', name: 'Clifton 9', priceUsd: 145 },
        ],
      },
      {
        slug: 'boots',
        name: 'Boots',
        share: 2,
        price: { median: 110, sigma: 0.5, min: 30, max: 600 },
        weightGrams: [900, 2_400],
        nouns: ['Chelsea Boots', 'Hiking Boots', 'Rain Boots', 'Work Boots', 'Ankle Boots', 'Snow Boots'],
        adjectives: ['Waterproof', 'Insulated', 'Lace-Up', 'Lug-Sole', 'Steel-Toe'],
        materials: ['full-grain leather', 'suede', 'rubber', 'nubuck'],
        options: [SHOE_SIZES],
        features: [
          'keeps feet comfortable from morning to night',
          'has a durable sole built for years of wear',
          'grips slippery streets and trails',
          'breaks in quickly and stays comfortable all day',
        ],
        lineShare: 0.25,
        lines: [
          { brand: 'Dr. Martens', name: '1460 Smooth Leather Boots', priceUsd: 170 },
          { brand: 'Timberland', name: 'Premium 6-Inch Waterproof Boots', priceUsd: 210 },
          { brand: 'Blundstone', name: '585 Chelsea Boots', priceUsd: 230 },
        ],
      },
      {
        slug: 'bags-backpacks',
        name: 'Bags & Backpacks',
        share: 3,
        price: { median: 55, sigma: 0.7, min: 10, max: 1200 },
        weightGrams: [200, 2_000],
        nouns: ['Backpack', 'Tote Bag', 'Duffel Bag', 'Crossbody Bag', 'Laptop Bag', 'Carry-On Suitcase', 'Belt Bag'],
        adjectives: ['Water-Resistant', 'Lightweight', 'Convertible', 'Anti-Theft', 'Weekender'],
        materials: ['recycled nylon', 'waxed canvas', 'full-grain leather', 'ballistic nylon', 'polycarbonate'],
        options: [{ key: 'capacity', values: ['8 L', '15 L', '20 L', '28 L', '40 L', '65 L'], scalesWeight: true }],
        features: [
          'has plenty of pockets to keep essentials organised',
          'carries comfortably all day',
          'shrugs off light rain',
          'is built from hard-wearing materials',
        ],
      },
      {
        slug: 'watches',
        name: 'Watches',
        share: 1.5,
        price: { median: 140, sigma: 0.9, min: 19, max: 4999 },
        weightGrams: [40, 220],
        nouns: ['Automatic Watch', 'Chronograph Watch', 'Dive Watch', 'Quartz Watch', 'Field Watch', 'Dress Watch'],
        adjectives: ['Minimalist', 'Sapphire', 'Water-Resistant', 'Classic', 'Vintage-Inspired'],
        materials: ['stainless steel', 'titanium', 'leather strap', 'NATO strap', 'ceramic'],
        options: [{ key: 'caseSize', values: ['36 mm', '38 mm', '40 mm', '42 mm', '44 mm'], inName: true }],
        features: [
          'keeps precise time day after day',
          'is water-resistant for everyday wear',
          'has a scratch-resistant crystal',
          'glows in the dark with luminous hands',
        ],
        lineShare: 0.3,
        lines: [
          { brand: 'Seiko', name: '5 Sports Automatic', priceUsd: 295 },
          { brand: 'Casio', name: 'G-Shock GA-2100', priceUsd: 99 },
          { brand: 'Timex', name: 'Weekender Chronograph', priceUsd: 89 },
          { brand: 'Citizen', name: 'Eco-Drive Promaster Diver', priceUsd: 395 },
        ],
      },
      {
        slug: 'jewelry',
        name: 'Jewelry',
        share: 3,
        price: { median: 38, sigma: 0.95, min: 6, max: 2999 },
        weightGrams: [5, 120],
        nouns: ['Necklace', 'Hoop Earrings', 'Bracelet', 'Ring', 'Pendant', 'Stud Earrings', 'Anklet'],
        adjectives: ['Dainty', 'Layered', 'Hypoallergenic', 'Handcrafted', 'Stackable'],
        materials: ['sterling silver', '14k gold vermeil', 'gold-plated brass', 'freshwater pearl', 'stainless steel'],
        colors: ['Gold', 'Silver', 'Rose Gold'],
        features: [
          'will not tarnish or turn your skin green',
          'arrives in a gift box ready to give',
          'layers beautifully with other pieces',
          'is nickel-free and safe for sensitive skin',
        ],
      },
    ],
  },
  {
    slug: 'sports-outdoors',
    name: 'Sports & Outdoors',
    colors: SPORT_COLORS,
    leaves: [
      {
        slug: 'fitness-equipment',
        name: 'Fitness Equipment',
        share: 2,
        price: { median: 45, sigma: 0.95, min: 8, max: 2999 },
        weightGrams: [150, 30_000],
        nouns: [
          'Adjustable Dumbbells',
          'Kettlebell',
          'Resistance Bands',
          'Jump Rope',
          'Foam Roller',
          'Pull-Up Bar',
          'Exercise Bike',
          'Weight Bench',
        ],
        adjectives: ['Adjustable', 'Heavy-Duty', 'Compact', 'Non-Slip', 'Home Gym'],
        materials: ['cast iron', 'steel', 'natural latex', 'EVA foam', 'neoprene'],
        features: [
          'is built for daily home workouts',
          'stores easily in small spaces',
          'has a non-slip grip for sweaty sessions',
          'helps you build strength and endurance',
        ],
        lineShare: 0.15,
        lines: [
          { brand: 'Bowflex', name: 'SelectTech 552 Dumbbells', priceUsd: 429 },
          { brand: 'Peloton', name: 'Bike', priceUsd: 1445 },
        ],
      },
      {
        slug: 'cycling',
        name: 'Cycling',
        share: 1.5,
        price: { median: 40, sigma: 1.0, min: 8, max: 3999 },
        weightGrams: [60, 14_000],
        nouns: [
          'Bike Helmet',
          'Bike Light Set',
          'U-Lock',
          'Floor Pump',
          'Cycling Jersey',
          'Cycling Gloves',
          'Hybrid Bike',
          'Bike Computer',
        ],
        adjectives: ['Lightweight', 'Aero', 'Rechargeable', 'Reflective', 'Commuter'],
        materials: ['aluminium', 'carbon fibre', 'hardened steel', 'polycarbonate', 'Lycra'],
        features: [
          'is built for daily commutes and weekend rides',
          'keeps you visible and safe on the road',
          'is lightweight and weather-resistant',
          'makes every ride more comfortable',
        ],
        lineShare: 0.15,
        lines: [
          { brand: 'Garmin', name: 'Edge 540 Bike Computer', priceUsd: 349 },
          { brand: 'Giro', name: 'Syntax MIPS Helmet', priceUsd: 150 },
        ],
      },
      {
        slug: 'camping-hiking',
        name: 'Camping & Hiking',
        share: 2.5,
        price: { median: 50, sigma: 0.85, min: 8, max: 999 },
        weightGrams: [80, 9_000],
        nouns: [
          'Tent',
          'Sleeping Bag',
          'Camping Lantern',
          'Hiking Backpack',
          'Trekking Poles',
          'Camp Stove',
          'Water Filter',
          'Camping Chair',
        ],
        adjectives: ['Ultralight', '3-Season', 'Waterproof', 'Packable', 'Insulated'],
        materials: ['ripstop nylon', 'aluminium', 'polyester', 'titanium', 'down fill'],
        options: [{ key: 'capacity', values: ['1-person', '2-person', '4-person', '6-person'], scalesWeight: true }],
        features: [
          'packs down small for backpacking',
          'is built to handle wind and rain',
          'is light enough for long hikes',
          'sets up in minutes at camp',
        ],
        lineShare: 0.2,
        lines: [
          { brand: 'Coleman', name: 'Sundome Tent', priceUsd: 89 },
          { brand: 'Osprey', name: 'Atmos AG 65 Backpack', priceUsd: 340 },
          { brand: 'YETI', name: 'Tundra 45 Cooler', priceUsd: 325 },
          { brand: 'Jetboil', name: 'Flash Cooking System', priceUsd: 125 },
        ],
      },
      {
        slug: 'yoga',
        name: 'Yoga',
        share: 2,
        price: { median: 28, sigma: 0.6, min: 6, max: 250 },
        weightGrams: [90, 3_000],
        nouns: ['Yoga Mat', 'Yoga Block', 'Yoga Strap', 'Meditation Cushion', 'Yoga Bolster', 'Yoga Towel'],
        adjectives: ['Non-Slip', 'Extra-Thick', 'Eco-Friendly', 'Travel', 'Cork'],
        materials: ['natural rubber', 'TPE', 'cork', 'organic cotton', 'recycled foam'],
        options: [{ key: 'thickness', values: ['1.5 mm', '4 mm', '6 mm', '8 mm'] }],
        features: [
          'supports a steady, comfortable practice',
          'is made from eco-friendly materials',
          'is easy to carry to class',
          'is free of PVC and toxic glues',
        ],
        lineShare: 0.1,
        lines: [{ brand: 'Manduka', name: 'PRO Yoga Mat', priceUsd: 129 }],
      },
    ],
  },
  {
    slug: 'beauty',
    name: 'Beauty',
    colors: null,
    leaves: [
      {
        slug: 'skincare',
        name: 'Skincare',
        share: 4,
        price: { median: 22, sigma: 0.6, min: 5, max: 250 },
        weightGrams: [40, 500],
        nouns: ['Moisturizer', 'Face Serum', 'Cleanser', 'Sunscreen SPF 50', 'Eye Cream', 'Face Mask', 'Toner'],
        adjectives: ['Hydrating', 'Fragrance-Free', 'Brightening', 'Gentle', 'Vitamin C', 'Hyaluronic'],
        materials: ['hyaluronic acid', 'niacinamide', 'vitamin C', 'ceramides', 'retinol', 'squalane'],
        options: [{ key: 'volume', values: ['30 ml', '50 ml', '100 ml', '150 ml', '200 ml'], inName: true, scalesWeight: true }],
        features: [
          'hydrates for 24 hours without feeling greasy',
          'is dermatologist tested for sensitive skin',
          'evens out skin tone in four weeks',
          'is vegan and cruelty-free',
        ],
        lineShare: 0.2,
        lines: [
          { brand: 'CeraVe', name: 'Moisturizing Cream', priceUsd: 19 },
          { brand: 'The Ordinary', name: 'Niacinamide 10% + Zinc 1% Serum', priceUsd: 7 },
          { brand: 'La Roche-Posay', name: 'Anthelios Sunscreen SPF 50', priceUsd: 37 },
        ],
      },
      {
        slug: 'hair-care',
        name: 'Hair Care',
        share: 3,
        price: { median: 18, sigma: 0.8, min: 4, max: 599 },
        weightGrams: [60, 1_200],
        nouns: ['Shampoo', 'Conditioner', 'Hair Oil', 'Hair Dryer', 'Curling Iron', 'Hair Straightener', 'Hair Mask'],
        adjectives: ['Sulfate-Free', 'Volumizing', 'Repairing', 'Ionic', 'Frizz-Control'],
        materials: ['argan oil', 'keratin', 'tea tree', 'ceramic', 'tourmaline', 'coconut oil'],
        options: [{ key: 'volume', values: ['100 ml', '250 ml', '300 ml', '500 ml', '1 L'], scalesWeight: true }],
        features: [
          'tames frizz and adds shine',
          'is safe for colour-treated hair',
          'works on every hair type',
          'leaves hair soft and manageable',
        ],
        lineShare: 0.15,
        lines: [
          { brand: 'Dyson', name: 'Supersonic Hair Dryer', priceUsd: 429 },
          { brand: 'Olaplex', name: 'No. 3 Hair Perfector', priceUsd: 30 },
        ],
      },
      {
        slug: 'fragrance',
        name: 'Fragrance',
        share: 2,
        price: { median: 55, sigma: 0.6, min: 12, max: 450 },
        weightGrams: [120, 600],
        nouns: ['Eau de Parfum', 'Eau de Toilette', 'Body Mist', 'Cologne', 'Perfume Oil'],
        adjectives: ['Woody', 'Floral', 'Fresh', 'Citrus', 'Amber', 'Musky'],
        materials: ['bergamot', 'sandalwood', 'jasmine', 'vetiver', 'vanilla', 'oud'],
        options: [{ key: 'volume', values: ['10 ml', '30 ml', '50 ml', '100 ml'], inName: true, scalesWeight: true }],
        features: [
          'opens with bright citrus and settles into warm woods',
          'lasts eight hours or more on skin',
          'comes in a refillable glass bottle',
          'is blended in small batches',
        ],
      },
    ],
  },
  {
    slug: 'toys-games',
    name: 'Toys & Games',
    colors: TOY_COLORS,
    leaves: [
      {
        slug: 'board-games-puzzles',
        name: 'Board Games & Puzzles',
        share: 3.5,
        price: { median: 25, sigma: 0.55, min: 6, max: 199 },
        weightGrams: [200, 3_000],
        nouns: ['Board Game', 'Card Game', 'Jigsaw Puzzle', 'Strategy Game', 'Party Game', 'Chess Set'],
        adjectives: ['Family', 'Cooperative', 'Award-Winning', 'Travel', '1000-Piece'],
        materials: ['cardboard', 'wood', 'recycled paperboard'],
        options: [{ key: 'players', values: ['1-4 players', '2 players', '2-4 players', '2-6 players', '3-8 players'] }],
        features: [
          'is easy to learn and hard to master',
          'brings the whole family to the table',
          'makes a great gift for game night',
          'offers hours of screen-free fun',
        ],
        lineShare: 0.2,
        lines: [
          { brand: 'Hasbro', name: 'Monopoly Classic Board Game', priceUsd: 22 },
          { brand: 'Ravensburger', name: 'Jigsaw Puzzle 1000 Pieces', priceUsd: 20 },
          { brand: 'Catan Studio', name: 'Catan Board Game', priceUsd: 55 },
        ],
      },
      {
        slug: 'building-sets',
        name: 'Building Sets',
        share: 2,
        price: { median: 40, sigma: 0.8, min: 8, max: 899 },
        weightGrams: [150, 6_000],
        nouns: ['Building Set', 'Construction Kit', 'Magnetic Tiles', 'Model Kit', 'Building Blocks'],
        adjectives: ['Creative', 'STEM', 'Motorized', 'Classic', 'Deluxe'],
        materials: ['ABS plastic', 'wood', 'magnetic plastic'],
        options: [{ key: 'pieces', values: ['100 pieces', '250 pieces', '500 pieces', '1,000 pieces', '2,500 pieces'] }],
        features: [
          'builds three different models from one box',
          'teaches early engineering through play',
          'is compatible with major brick brands',
          'comes with illustrated step-by-step instructions',
        ],
        lineShare: 0.35,
        lines: [
          { brand: 'LEGO', name: 'Technic Race Car', priceUsd: 49 },
          { brand: 'LEGO', name: 'City Fire Station', priceUsd: 99 },
          { brand: 'LEGO', name: 'Creator 3-in-1 Castle', priceUsd: 109 },
          { brand: 'Magna-Tiles', name: 'Clear Colors 100-Piece Set', priceUsd: 120 },
        ],
      },
      {
        slug: 'dolls-plush',
        name: 'Dolls & Plush',
        share: 2,
        price: { median: 20, sigma: 0.6, min: 5, max: 180 },
        weightGrams: [80, 1_500],
        nouns: ['Plush Toy', 'Teddy Bear', 'Fashion Doll', 'Dollhouse', 'Stuffed Animal', 'Action Figure'],
        adjectives: ['Cuddly', 'Posable', 'Collectible', 'Jumbo', 'Soft'],
        materials: ['polyester plush', 'vinyl', 'organic cotton', 'wood'],
        features: [
          'sparks hours of imaginative play',
          'is safety tested for ages 3 and up',
          'comes with a set of accessories',
          'makes a great birthday gift',
        ],
      },
    ],
  },
  {
    slug: 'books',
    name: 'Books',
    colors: null,
    leaves: [
      {
        slug: 'fiction',
        name: 'Fiction',
        share: 4,
        price: { median: 15, sigma: 0.35, min: 5, max: 60 },
        weightGrams: [180, 900],
        nouns: ['Novel'],
        adjectives: ['Bestselling', 'Award-Winning', 'Classic'],
        materials: ['paper'],
        options: [{ key: 'format', values: ['Paperback', 'Hardcover', 'Mass Market Paperback'] }],
        features: [
          'kept readers up all night',
          'is a sweeping story of family and ambition',
          'was shortlisted for a major literary prize',
          'is now a streaming series',
        ],
        naming: 'book',
      },
      {
        slug: 'cookbooks',
        name: 'Cookbooks',
        share: 1.5,
        price: { median: 24, sigma: 0.35, min: 8, max: 75 },
        weightGrams: [400, 1_600],
        nouns: ['Cookbook'],
        adjectives: ['Illustrated', 'Bestselling', 'Essential'],
        materials: ['paper'],
        options: [{ key: 'format', values: ['Hardcover', 'Paperback', 'Spiral-Bound'] }],
        features: [
          'collects 100 weeknight recipes with full-colour photos',
          'shows how to cook seasonally on a budget',
          'includes plenty of vegetarian options',
          'explains every technique step by step',
        ],
        naming: 'cookbook',
      },
    ],
  },
];

export const LEAF_CATEGORIES: readonly LeafCategory[] = DEPARTMENTS.flatMap((dept) =>
  dept.leaves.map(
    (leaf): LeafCategory => ({
      ...leaf,
      path: `${dept.name}${CATEGORY_SEPARATOR}${leaf.name}`,
      department: dept.name,
      departmentSlug: dept.slug,
      colors: leaf.colors === undefined ? dept.colors : leaf.colors,
    }),
  ),
);

/** The tree for navigation (departments with their leaves), as plain data. */
export const CATEGORY_TREE: readonly CategoryNode[] = DEPARTMENTS.map((dept) => ({
  slug: dept.slug,
  name: dept.name,
  path: dept.name,
  children: LEAF_CATEGORIES.filter((leaf) => leaf.departmentSlug === dept.slug).map((leaf) => ({
    slug: leaf.slug,
    name: leaf.name,
    path: leaf.path,
    children: [],
  })),
}));

/** Every value `products.category` takes in the seeded catalog. */
export const CATEGORY_PATHS: readonly string[] = LEAF_CATEGORIES.map((leaf) => leaf.path);

export const TOTAL_CATEGORY_SHARE = LEAF_CATEGORIES.reduce((sum, leaf) => sum + leaf.share, 0);
