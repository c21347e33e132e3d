/** The benchmarks' one percentile definition (nearest rank) and one median. */
import { median, percentile } from '../../bench/support';

test('nearest rank: the smallest value with at least p% of the values at or below it', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  expect(percentile(ten, 50)).toBe(5);
  expect(percentile(ten, 90)).toBe(9);
  expect(percentile(ten, 95)).toBe(10);
  expect(percentile(ten, 99)).toBe(10);
  expect(percentile(ten, 100)).toBe(10);
  expect(percentile(ten, 0)).toBe(1);
  expect(percentile([7], 99)).toBe(7);
  expect(percentile([], 50)).toBeNaN();
});

test('median: the middle value of any order, the mean of the two middle ones for an even count', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([5])).toBe(5);
  expect(median([])).toBeNaN();
});
