/**
 * One failure vocabulary for activities (issue 11 item 4, issue 12 finding 1): errors no retry can
 * fix — Postgres data exceptions (class 22), constraint violations (23), refusals, bad input —
 * become non-retryable ApplicationFailures with one `details` shape; outages stay retryable.
 * Before: the raw pg error (22P05 for a NUL in the jsonb address, 22021 for a NUL in a text note)
 * was thrown as is, retryable, and the order workflow's unbounded `books` proxy retried it forever.
 */
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { z } from 'zod';
import { toActivityFailure, withFailureVocabulary } from '../../activities/failures';
import { createDb, type Db } from '../../db/connection';
import { readFailureDetails } from '../../domain/activity-failures';
import { AppError } from '../../domain/errors';
import { testConfig } from '../support/config';

let db: Db;
beforeAll(() => {
  db = createDb({ connectionString: testConfig().DATABASE_URL, max: 2, applicationName: 'test-activity-failures' });
});
afterAll(async () => db?.destroy());

async function failureOf(fn: () => Promise<unknown>): Promise<unknown> {
  const activity = withFailureVocabulary({ run: fn });
  try {
    await activity.run();
  } catch (err) {
    return err;
  }
  throw new Error('expected the activity to fail');
}

test('a NUL in jsonb (pg 22P05) is a non-retryable invalid_data failure', async () => {
  const err = await failureOf(() => sql`select ${JSON.stringify({ name: 'Ada\u0000Buyer' })}::jsonb`.execute(db));
  expect(err).toBeInstanceOf(ApplicationFailure);
  const f = err as ApplicationFailure;
  expect(f).toMatchObject({ type: 'invalid_data', nonRetryable: true });
  expect(readFailureDetails(f.details)).toEqual({ sqlState: '22P05' });
});

test('a NUL in text (pg 22021) is a non-retryable invalid_data failure', async () => {
  const err = (await failureOf(() => sql`select ${'x\u0000y'}::text`.execute(db))) as ApplicationFailure;
  expect(err).toMatchObject({ type: 'invalid_data', nonRetryable: true });
  expect(readFailureDetails(err.details).sqlState).toBe('22021');
});

test('a constraint violation (class 23) is non-retryable', async () => {
  const err = (await failureOf(() =>
    sql`insert into inventory_levels (sku, location_id, on_hand, reserved) values ('NO-SUCH-SKU-X', 'nowhere', -1, 0)`.execute(db),
  )) as ApplicationFailure;
  expect(err).toMatchObject({ type: 'constraint_violation', nonRetryable: true });
  expect(readFailureDetails(err.details).sqlState).toMatch(/^23/);
});

test('a refused connection stays retryable (the caller’s policy bounds it)', async () => {
  const down = createDb({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1, applicationName: 'down' });
  try {
    const err = await failureOf(() => sql`select 1`.execute(down));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
  } finally {
    await down.destroy();
  }
});

test('refusals keep their contract code and field errors in the one details shape', () => {
  const f = toActivityFailure(
    new AppError('invalid_request', 'Some items cannot be ordered', { errors: [{ path: 'items[0].sku', message: 'unknown sku' }] }),
  ) as ApplicationFailure;
  expect(f).toMatchObject({ type: 'invalid_request', nonRetryable: true });
  expect(readFailureDetails(f.details)).toEqual({ errors: [{ path: 'items[0].sku', message: 'unknown sku' }] });
  // 5xx AppErrors are outages: retryable, unchanged
  const outage = new AppError('dependency_unavailable', 'down');
  expect(toActivityFailure(outage)).toBe(outage);
});

test('input that does not parse is non-retryable', () => {
  const parsed = z.object({ a: z.string() }).safeParse({ a: 1 });
  const f = toActivityFailure(parsed.error) as ApplicationFailure;
  expect(f).toMatchObject({ type: 'invalid_input', nonRetryable: true });
});

test('details recorded before v1.1 (the field errors array itself) still read', () => {
  expect(readFailureDetails([[{ path: 'x', message: 'y' }]])).toEqual({ errors: [{ path: 'x', message: 'y' }] });
  expect(readFailureDetails(undefined)).toEqual({});
});
