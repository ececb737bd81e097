/**
 * A fresh database on the test MongoDB-wire server for one suite: its own name (from
 * {@link uniqueName}), so suites never share state. Databases are not dropped afterwards: on
 * FerretDB (SQLite) a drop while another connection still has a query on that database crashed
 * the server here (SIGBUS in SQLite's WAL); the test servers start with empty data instead. `poolSize` opens a client with another `maxPoolSize` than the URI's (FerretDB's
 * updates are only atomic at `maxPoolSize=1`; suites use 10 to show what rests on unique indexes).
 */
import { MongoClient, type Db } from 'mongodb';
import { testServers, uniqueName } from './servers.js';

/** A suite's database and the client that opened it. */
export interface FreshDb {
  client: MongoClient;
  db: Db;
  /** Closes the client (the database is left for the next fresh server start to discard). */
  dispose(): Promise<void>;
}

/** The test URI with `maxPoolSize` set to `poolSize` (or as configured when omitted). */
export function mongoUri(poolSize?: number): string {
  const uri = testServers().mongoUri;
  if (poolSize === undefined) return uri;
  const url = new URL(uri);
  url.searchParams.set('maxPoolSize', String(poolSize));
  return url.toString();
}

/** Opens a client and a database named `<prefix>_<unique>`. */
export async function freshDb(prefix: string, options: { poolSize?: number } = {}): Promise<FreshDb> {
  const client = new MongoClient(mongoUri(options.poolSize));
  await client.connect();
  const db = client.db(uniqueName(prefix));
  return {
    client,
    db,
    async dispose() {
      await client.close();
    },
  };
}

/** The same database as `base`, reached through a second client with another pool size. */
export async function sameDbWithPool(base: FreshDb, poolSize: number): Promise<{ db: Db; close(): Promise<void> }> {
  const client = new MongoClient(mongoUri(poolSize));
  await client.connect();
  return { db: client.db(base.db.databaseName), close: () => client.close() };
}
