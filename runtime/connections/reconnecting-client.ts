/**
 * A MongoClient that recovers when its server was away at the first operation. The driver
 * (7.x) closes its topology when the first connect fails but keeps it attached to the client, so
 * every later operation fails at once with `MongoTopologyClosedError` and the client never tries
 * again. Detaching the closed topology makes the next operation connect afresh, as the very first
 * one did; a server that goes away later is handled by the driver's own monitoring.
 */
import { MongoClient, type MongoClientOptions } from 'mongodb';

/** The one internal field of the driver this relies on (see the file comment). */
interface WithTopology {
  topology?: unknown;
}

/**
 * Opens nothing yet: returns a client for `uri` that connects on its first operation and, when
 * that connect fails, connects again on the next one instead of staying closed. The client is
 * never closed on a failure; only `close()` ends it.
 */
export function createReconnectingClient(uri: string, options?: MongoClientOptions): MongoClient {
  const client = new MongoClient(uri, options);
  client.on('topologyClosed', () => {
    // `client.close()` detaches the topology before closing it, so a topology still attached
    // here was closed by the driver after a failed connect: detach it so the next call reconnects.
    const internal = client as unknown as WithTopology;
    if (internal.topology !== undefined) internal.topology = undefined;
  });
  return client;
}
