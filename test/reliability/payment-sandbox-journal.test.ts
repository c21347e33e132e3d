/**
 * The payment sandbox keeps its ledger and idempotency records across a restart (issue 13): a
 * provider that forgets cannot prove "never charged twice". The restart here is a real process
 * kill (SIGKILL, no shutdown hook), then a new sandbox on the same file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPaymentSandbox } from '../../integrations/payments/sandbox';
import { PROJECT_ROOT } from '../../stack/binaries';
import { freePort, httpOk, waitFor } from '../../stack/processes';

const dir = mkdtempSync(path.join(tmpdir(), 'pay-journal-'));
const dataFile = path.join(dir, 'payments.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function post(url: string, key: string, body: unknown) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

async function spawnSandbox(port: number): Promise<ChildProcess> {
  // One process, node with tsx's loader: the `tsx` CLI would run the sandbox in a child of its own,
  // which a SIGKILL of the CLI leaves running (the "killed" sandbox would go on serving the port).
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require('./integrations/payments/sandbox').startPaymentSandbox({ port: ${port}, dataFile: ${JSON.stringify(dataFile)} })`,
    ],
    { cwd: PROJECT_ROOT, stdio: 'ignore' },
  );
  await waitFor('payment sandbox', () => httpOk(`http://127.0.0.1:${port}/healthz`), 30_000);
  return child;
}

test('a SIGKILLed sandbox restarted on its file replays keys and still has its ledger', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const first = await spawnSandbox(port);
  const auth = (await (
    await post(`${url}/v1/authorizations`, 'k-auth', { amount: 1234, currency: 'EUR', token: 'tok_visa', reference: 'ord_1' })
  ).json()) as { id: string };
  const cap = await post(`${url}/v1/authorizations/${auth.id}/capture`, 'k-cap', {});
  expect(cap.status).toBe(201);
  const flaky = await post(`${url}/v1/authorizations`, 'k-flaky', { amount: 5, currency: 'EUR', token: 'tok_flaky', reference: 'ord_2' });
  expect(flaky.status).toBe(503);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  // A line torn by a crash mid-write, as the journal writes lines: a newline, then the JSON.
  appendFileSync(dataFile, '\n{"ledger":[{"type":"autho');

  const second = await spawnSandbox(port);
  try {
    const again = await post(`${url}/v1/authorizations`, 'k-auth', {
      amount: 1234,
      currency: 'EUR',
      token: 'tok_visa',
      reference: 'ord_1',
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(auth.id);
    // The authorization's state came back too: a second capture under a new key is refused.
    const capAgain = await post(`${url}/v1/authorizations/${auth.id}/capture`, 'k-cap-2', {});
    expect(capAgain.status).toBe(409);
    // tok_flaky's attempt count survived: one more 503, then approval.
    expect(
      (await post(`${url}/v1/authorizations`, 'k-flaky', { amount: 5, currency: 'EUR', token: 'tok_flaky', reference: 'ord_2' })).status,
    ).toBe(503);
    expect(
      (await post(`${url}/v1/authorizations`, 'k-flaky', { amount: 5, currency: 'EUR', token: 'tok_flaky', reference: 'ord_2' })).status,
    ).toBe(201);
    const ledger = (await (await fetch(`${url}/__ledger?reference=ord_1`)).json()) as { authorizations: unknown[]; captures: unknown[] };
    expect(ledger.authorizations).toHaveLength(1);
    expect(ledger.captures).toHaveLength(1);
  } finally {
    second.kill('SIGKILL');
  }
});

test('reset forgets the journal too; memory-only without a file', async () => {
  const file = path.join(dir, 'reset.jsonl');
  const a = await startPaymentSandbox({ port: 0, dataFile: file });
  await post(`${a.url}/v1/authorizations`, 'k1', { amount: 1, currency: 'EUR', token: 'tok_visa' });
  a.reset();
  await a.close();
  const b = await startPaymentSandbox({ port: 0, dataFile: file });
  expect(b.ledger()).toEqual([]);
  await b.close();
  const mem = await startPaymentSandbox({ port: 0, dataFile: 'off' });
  expect(mem.ledger()).toEqual([]);
  await mem.close();
});
