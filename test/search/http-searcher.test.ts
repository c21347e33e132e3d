/**
 * The search fast path's transport follows MEILI_URL's scheme: plain HTTP for http://, TLS for
 * https:// (seen by the first byte a server receives: a TLS handshake record is 0x16).
 */
import net from 'node:net';
import { createMeiliSearcher } from '../../search/http-search';

async function firstByteFor(scheme: 'http' | 'https'): Promise<number | undefined> {
  let first: number | undefined;
  const server = net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      first = chunk[0];
      socket.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  try {
    const searcher = createMeiliSearcher({ url: `${scheme}://127.0.0.1:${port}`, timeoutMs: 2_000 });
    await expect(searcher.search('products', { q: 'x' })).rejects.toThrow();
    return first;
  } finally {
    await new Promise((r) => server.close(r));
  }
}

test('http:// sends a plain HTTP request', async () => {
  expect(await firstByteFor('http')).toBe('P'.charCodeAt(0));
});

test('https:// opens a TLS connection', async () => {
  expect(await firstByteFor('https')).toBe(0x16);
});
