/**
 * A tiny HTTP server that answers every request with one fixed failure, to inject faults into
 * the network backends (5xx, 403) without mocking their SDKs; and a port nothing listens on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running fault server; `close` stops it. */
export interface FaultServer {
  readonly endpoint: string;
  readonly requests: () => number;
  readonly close: () => Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Starts a server that answers every request with `status`, `headers` and `body`. */
export async function startFaultServer(status: number, body: string, headers: Record<string, string> = {}): Promise<FaultServer> {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': 'application/xml', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
  });
  const port = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An endpoint on loopback where nothing listens, so connecting is refused. */
export async function refusedEndpoint(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
