/** Pure order rules: the status graph, order identity, request validation. */

import { createHash } from 'node:crypto';
import { ORDER_STATUSES } from '../../domain/db-enums';
import { legacyOrderIdFor, orderIdFor, requestHash } from '../../domain/orders/identity';
import { canTransition, isCancellable, manualTransitionError, TRANSITIONS } from '../../domain/orders/status';
import { PlaceOrderBodySchema } from '../../domain/schemas/orders';

test('status graph: the happy path, cancellation until shipped, failed resumes', () => {
  expect(canTransition('placed', 'confirmed')).toBe(true);
  expect(canTransition('confirmed', 'shipped')).toBe(true);
  expect(canTransition('shipped', 'delivered')).toBe(true);
  expect(canTransition('confirmed', 'delivered')).toBe(false);
  expect(canTransition('delivered', 'cancelled')).toBe(false);
  expect(isCancellable('placed')).toBe(true);
  expect(isCancellable('confirmed')).toBe(true);
  expect(isCancellable('failed')).toBe(true);
  expect(isCancellable('shipped')).toBe(false);
  for (const s of ORDER_STATUSES) expect(TRANSITIONS[s]).not.toContain(s);
});

test('manual transitions: only shipped, delivered, cancelled, along the graph', () => {
  expect(manualTransitionError('confirmed', 'shipped')).toBeUndefined();
  expect(manualTransitionError('shipped', 'delivered')).toBeUndefined();
  expect(manualTransitionError('placed', 'cancelled')).toBeUndefined();
  expect(manualTransitionError('placed', 'confirmed')).toMatch(/cannot be set by hand/);
  expect(manualTransitionError('confirmed', 'delivered')).toMatch(/cannot move/);
  expect(manualTransitionError('failed', 'shipped')).toMatch(/retry/);
  expect(manualTransitionError('delivered', 'cancelled')).toMatch(/cannot move/);
});

test('order ids: stable per (customer, key), never shared across customers', () => {
  const S = 'an-order-id-secret-for-the-tests';
  expect(orderIdFor('c1', 'k', S)).toBe(orderIdFor('c1', 'k', S));
  expect(orderIdFor('c1', 'k', S)).not.toBe(orderIdFor('c2', 'k', S));
  expect(orderIdFor('ab', 'c', S)).not.toBe(orderIdFor('a', 'bc', S));
  expect(orderIdFor('c1', 'k', S)).toMatch(/^ord_[A-Za-z0-9_-]{26}$/);
});

test('order ids are keyed with the server secret: not derivable from the customer id and the key (v1.1)', () => {
  // What anyone could compute before: sha256 of the public inputs.
  const guessable = `ord_${createHash('sha256').update('order\n2:c1\nk', 'utf8').digest('base64url').slice(0, 26)}`;
  expect(legacyOrderIdFor('c1', 'k')).toBe(guessable);
  expect(orderIdFor('c1', 'k', 'an-order-id-secret-for-the-tests')).not.toBe(guessable);
  expect(orderIdFor('c1', 'k', 'an-order-id-secret-for-the-tests')).not.toBe(orderIdFor('c1', 'k', 'another-order-id-secret-entirely'));
});

test('request hash ignores key order, not content', () => {
  expect(requestHash({ a: 1, b: [1, 2] })).toBe(requestHash({ b: [1, 2], a: 1 }));
  expect(requestHash({ a: 1, b: [1, 2] })).not.toBe(requestHash({ a: 1, b: [2, 1] }));
});

test('place-order body: strict, bounded, unique skus', () => {
  const ok = {
    customerId: 'c-1',
    email: 'a@b.co',
    items: [{ sku: 'A-1', quantity: 1 }],
    shippingAddress: { name: 'A', line1: '1 St', city: 'X', postalCode: '12345', country: 'US' },
    shipping: { quoteId: 'q_1' },
    payment: { token: 'tok_visa' },
  };
  expect(PlaceOrderBodySchema.safeParse(ok).success).toBe(true);
  expect(PlaceOrderBodySchema.safeParse({ ...ok, items: [] }).success).toBe(false);
  expect(
    PlaceOrderBodySchema.safeParse({ ...ok, items: Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }).success,
  ).toBe(false);
  expect(PlaceOrderBodySchema.safeParse({ ...ok, items: [{ sku: 'A', quantity: 1001 }] }).success).toBe(false);
  expect(PlaceOrderBodySchema.safeParse({ ...ok, shipping: { quoteId: 'q', carrier: 'x' } }).success).toBe(false);
  expect(PlaceOrderBodySchema.safeParse({ ...ok, shippingAddress: { ...ok.shippingAddress, country: 'usa' } }).success).toBe(false);
});
