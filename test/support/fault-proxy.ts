/**
 * A TCP proxy that can cut the line: `cut()` destroys every open connection and refuses new ones
 * (accepts, then resets them at once — what a dead network path looks like to a driver with a
 * connect timeout), `restore()` lets connections through again. Used by the chaos suite to cut
 * Postgres without stopping the shared server.
 */
import net from 'node:net';

export interface FaultProxy {
  port: number;
  url(original: string): string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
  stats(): { accepted: number; refused: number; open: number };
}

export async function startFaultProxy(target: { host: string; port: number }, listenPort = 0): Promise<FaultProxy> {
  let down = false;
  let accepted = 0;
  let refused = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (down) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url(original) {
      const u = new URL(original);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut() {
      down = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    stats: () => ({ accepted, refused, open: open.size }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
