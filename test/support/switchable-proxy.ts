/**
 * A TCP proxy on loopback in front of a real server, which a test can switch off (connections are
 * reset at once) and on again: a network outage between Chronos and its storage, without mocking
 * the storage itself.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface SwitchableProxy {
  /** `http://127.0.0.1:<port>`, to use in place of the target's endpoint. */
  readonly endpoint: string;
  /** While false, every connection (new or open) is reset. */
  setUp(up: boolean): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (`http://host:port`), initially up. */
export async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  const { hostname, port } = new URL(target);
  let up = true;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!up) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    open.add(client).add(upstream);
    const drop = (): void => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    setUp(next) {
      up = next;
      if (!up) for (const socket of open) socket.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
