/**
 * One MongoClient per distinct URI and one object-store client per storage connection, created
 * on first use and reused for the life of the instance, as the chronos-db API's connection management describes.
 * Ten tenants on one `mongo-primary` share one driver pool; `close()` ends them all.
 */
import type { Db, MongoClient } from 'mongodb';
import type { ParsedChronosConfig } from '../config/schema.js';
import { ChronosError } from '../errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createReconnectingClient } from './reconnecting-client.js';
import { mongoClientOptions } from './mongo-client-options.js';

/** Builds the store for one `spacesConnections` entry, or the local folder (`connRef` undefined). */
export type ObjectStoreFactory = (config: ParsedChronosConfig, connRef: string | undefined) => ObjectStore;

/** Lazily opened, shared connections of one Chronos instance. */
export class ConnectionPool {
  private readonly mongoClients = new Map<string, MongoClient>();
  private readonly stores = new Map<string, ObjectStore>();
  private readonly dbs = new Map<string, Db>();
  private closed = false;

  constructor(
    private readonly config: ParsedChronosConfig,
    private readonly createStore: ObjectStoreFactory,
  ) {}

  /**
   * The shared client for `uri`. The driver connects on first operation and pools internally;
   * a failure never closes the client (a server that was away is reached again on a later call,
   * see {@link createReconnectingClient}). A server that cannot be reached fails an operation
   * after `serverSelectionTimeoutMS` (5 s unless configured, see `mongo-client-options.ts`).
   */
  mongoClient(uri: string): MongoClient {
    this.assertOpen();
    let client = this.mongoClients.get(uri);
    if (!client) {
      client = createReconnectingClient(uri, mongoClientOptions(this.config, uri));
      this.mongoClients.set(uri, client);
    }
    return client;
  }

  /** The database `dbName` on the client for `uri` (one `Db` object per pair, made once). */
  db(uri: string, dbName: string): Db {
    this.assertOpen();
    const key = `${uri}\u0000${dbName}`;
    let db = this.dbs.get(key);
    if (!db) {
      db = this.mongoClient(uri).db(dbName);
      this.dbs.set(key, db);
    }
    return db;
  }

  /** The store for a storage connection, or for the local folder when `connRef` is undefined. */
  objectStore(connRef: string | undefined): ObjectStore {
    this.assertOpen();
    const key = connRef ?? '\u0000local';
    let store = this.stores.get(key);
    if (!store) {
      store = this.createStore(this.config, connRef);
      this.stores.set(key, store);
    }
    return store;
  }

  /** How many clients are open, by kind (for tests and health reports). */
  stats(): { mongoClients: number; objectStores: number } {
    return { mongoClients: this.mongoClients.size, objectStores: this.stores.size };
  }

  /** Every Mongo client opened so far, keyed by URI. */
  openMongoClients(): ReadonlyMap<string, MongoClient> {
    return this.mongoClients;
  }

  /** Every object store opened so far, keyed by connection (the local folder as `local`). */
  openObjectStores(): ReadonlyMap<string, ObjectStore> {
    return this.stores;
  }

  /** Closes every client; the pool refuses new work afterwards. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = [
      ...[...this.mongoClients.values()].map((client) => client.close()),
      ...[...this.stores.values()].map((store) => store.close()),
    ];
    this.mongoClients.clear();
    this.dbs.clear();
    this.stores.clear();
    await Promise.all(closing);
  }

  private assertOpen(): void {
    if (this.closed) throw new ChronosError('This Chronos instance was shut down; create a new one with initChronos()');
  }
}
