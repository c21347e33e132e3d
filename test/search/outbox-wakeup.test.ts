/**
 * The idle search sync's wake-up: a committed outbox row ends its wait (the outbox trigger's
 * NOTIFY), a notification that came while it was busy is not lost, and without one the wait
 * still ends (polling fallback). Sends pg_notify itself: inserting real outbox rows here would
 * race the search sync test's drainer over the run's one outbox.
 */
import pg from 'pg';
import { listenForOutbox, type OutboxWakeup } from '../../activities/search/outbox-wakeup';
import { OUTBOX_CHANNEL } from '../../db/outbox-listener';
import { testConfig } from '../support/config';

const config = testConfig();
const log = { warn: jest.fn() };
let sender: pg.Client;

beforeAll(async () => {
  sender = new pg.Client({ connectionString: config.DATABASE_URL });
  await sender.connect();
});
afterAll(async () => {
  await sender.end();
});

/** Notifies until `wait` has returned: the listener may still be connecting when the first one goes out. */
async function notifyUntil(done: () => boolean): Promise<void> {
  while (!done()) {
    await sender.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A wait far longer than the test may run, notified until it returns: true once it has. */
async function wokenByNotification(wakeup: OutboxWakeup): Promise<boolean> {
  let woke = false;
  const waiting = wakeup.wait(600_000).then(() => {
    woke = true;
  });
  await notifyUntil(() => woke);
  await waiting;
  return woke;
}

test('a notification ends the wait long before the poll interval', async () => {
  const wakeup = listenForOutbox(config.DATABASE_URL, log);
  try {
    expect(await wokenByNotification(wakeup)).toBe(true);
  } finally {
    await wakeup.close();
  }
  expect(log.warn).not.toHaveBeenCalled();
});

test('a notification that arrived while busy makes the next wait return at once', async () => {
  const wakeup = listenForOutbox(config.DATABASE_URL, log);
  try {
    // Prime: wait for one delivered notification, so the LISTEN is in place.
    expect(await wokenByNotification(wakeup)).toBe(true);
    // "Busy": nobody waits while this one arrives.
    await sender.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      wakeup.wait(600_000).then(() => 'woke'),
      new Promise((r) => {
        timer = setTimeout(() => r('still waiting'), 5_000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('woke');
  } finally {
    await wakeup.close();
  }
});

test('without notifications the wait ends after its interval; an unreachable database only means polling', async () => {
  const unreachable = listenForOutbox('postgres://postgres@127.0.0.1:1/none', log);
  try {
    await expect(unreachable.wait(50)).resolves.toBeUndefined();
  } finally {
    await unreachable.close();
  }
  expect(log.warn).toHaveBeenCalled();
});
