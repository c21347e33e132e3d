/** Pure parts of search: availability status, filter escaping, sort, the sync's change plan. */
import { availabilityStatus } from '../../domain/availability';
import { buildFilter, buildSort, quoteFilterValue } from '../../search/filters';
import { planIndexChanges, refsToLoad } from '../../search/sync-plan';
import { mutual } from '../../search/synonyms';

test('availabilityStatus: out at 0 or less, low up to the threshold, else in stock', () => {
  expect(availabilityStatus(-3, 5)).toBe('out_of_stock');
  expect(availabilityStatus(0, 5)).toBe('out_of_stock');
  expect(availabilityStatus(1, 5)).toBe('low_stock');
  expect(availabilityStatus(5, 5)).toBe('low_stock');
  expect(availabilityStatus(6, 5)).toBe('in_stock');
  expect(availabilityStatus(1, 0)).toBe('in_stock');
});

test('quoteFilterValue escapes backslashes and double quotes, and nothing else', () => {
  expect(quoteFilterValue('plain')).toBe('"plain"');
  expect(quoteFilterValue(`O'Neill "Pro"`)).toBe(`"O'Neill \\"Pro\\""`);
  expect(quoteFilterValue('a\\')).toBe('"a\\\\"');
  expect(quoteFilterValue('x" OR brand != "')).toBe('"x\\" OR brand != \\""');
  expect(quoteFilterValue('A AND B')).toBe('"A AND B"');
});

test('buildFilter: OR within a field (IN), AND across clauses, integers only for prices', () => {
  expect(buildFilter({})).toBeUndefined();
  expect(buildFilter({ category: ['phones', 'tablets', 'phones'], brand: ['Apple'], minPrice: 100, maxPrice: 200, inStock: true })).toEqual(
    ['category IN ["phones", "tablets"]', 'brand IN ["Apple"]', 'price 100 TO 200', 'availabilityStatus IN ["in_stock", "low_stock"]'],
  );
  expect(buildFilter({ inStock: false })).toEqual(['availabilityStatus = "out_of_stock"']);
  expect(buildFilter({ minPrice: 100 })).toEqual(['price >= 100']);
  expect(buildFilter({ maxPrice: 200 })).toEqual(['price <= 200']);
  expect(() => buildFilter({ minPrice: 1.5 })).toThrow(TypeError);
  expect(() => buildFilter({ minPrice: 1, maxPrice: 2.5 })).toThrow(TypeError);
});

test('buildSort maps the contract sorts to index sort rules', () => {
  expect(buildSort('relevance')).toBeUndefined();
  expect(buildSort('price:asc')).toEqual(['price:asc']);
  expect(buildSort('price:desc')).toEqual(['price:desc']);
  expect(buildSort('newest')).toEqual(['createdAt:desc']);
});

test('mutual synonyms map every word of a group to the others', () => {
  expect(mutual([['tv', 'television']])).toEqual({ tv: ['television'], television: ['tv'] });
});

describe('planIndexChanges', () => {
  const id1 = '00000000-0000-4000-8000-000000000001';
  const id2 = '00000000-0000-4000-8000-000000000002';
  const id3 = '00000000-0000-4000-8000-000000000003';
  const base = {
    name: 'n',
    brand: 'b',
    category: 'c',
    description: '',
    price_amount: 100,
    currency: 'USD',
    images: [],
    created_at: new Date(0),
    deleted_at: null,
  };

  test('re-reads state: upserts live products, deletes soft- and hard-deleted ones, ignores unknown skus', () => {
    const changes = [
      { topic: 'product' as const, aggregate_id: id1 },
      { topic: 'product' as const, aggregate_id: id2 },
      { topic: 'product' as const, aggregate_id: id3 },
      { topic: 'stock' as const, aggregate_id: 'SKU-1' },
      { topic: 'stock' as const, aggregate_id: 'SKU-4' },
      { topic: 'stock' as const, aggregate_id: 'NOPE' },
      { topic: 'product' as const, aggregate_id: 'not-a-uuid' },
    ];
    expect(refsToLoad(changes)).toEqual({ ids: [id1, id2, id3], skus: ['SKU-1', 'SKU-4', 'NOPE'] });
    const current = [
      { ...base, id: id1, sku: 'SKU-1', available: 3 },
      { ...base, id: id2, sku: 'SKU-2', available: 10, deleted_at: new Date() },
      { ...base, id: '00000000-0000-4000-8000-000000000004', sku: 'SKU-4', available: 0 },
    ];
    const plan = planIndexChanges(changes, current, 5);
    expect(plan.upserts.map((d) => [d.id, d.availabilityStatus])).toEqual([
      [id1, 'low_stock'],
      ['00000000-0000-4000-8000-000000000004', 'out_of_stock'],
    ]);
    expect(plan.deletes.sort()).toEqual([id2, id3]);
    // SKU-1 changed as a product too, so only SKU-4 is a stock-only candidate for skipping.
    expect([...plan.stockOnly]).toEqual(['00000000-0000-4000-8000-000000000004']);
  });
});
