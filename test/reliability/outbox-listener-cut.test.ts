/**
 * The outbox LISTEN connection survives a Postgres cut (issue 13, chaos scenario 8): connections
 * reset and refused for a while, then back. The first run of the chaos suite saw every worker
 * die here — a reset socket emitted 'error' twice and the second one had no listener.
 */
import { listenToOutbox } from '../../db/outbox-listener';
import { sleep } from '../../stack/processes';
import { startFaultProxy } from '../support/fault-proxy';

test('reset and refused connections are reported and retried, never thrown; LISTEN resumes', async () => {
  const direct = new URL(process.env.DATABASE_URL ?? '');
  const proxy = await startFaultProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onCrash);
  const errors: string[] = [];
  let listening = 0;
  const listener = listenToOutbox({
    databaseUrl: proxy.url(direct.toString()),
    applicationName: 'outbox-cut-test',
    onNotify: () => {},
    onListening: () => listening++,
    onError: (_err, phase) => errors.push(phase),
    retryMs: 100,
  });
  try {
    for (let i = 0; i < 100 && listening === 0; i++) await sleep(50);
    expect(listening).toBe(1);
    for (let round = 0; round < 3; round++) {
      proxy.cut();
      await sleep(700); // several refused reconnects
      proxy.restore();
      for (let i = 0; i < 100 && listening < round + 2; i++) await sleep(50);
      expect(listening).toBe(round + 2);
    }
    expect(errors).toContain('lost');
    expect(errors).toContain('connect');
    expect(crashes).toEqual([]);
  } finally {
    process.off('uncaughtException', onCrash);
    await listener.close();
    await proxy.close();
  }
});
