/**
 * One tenant's shared memory: the documents of `shared_memory` and the audit rows of
 * `shared_memory_tombstones`. Every query on those two collections lives in this file.
 */
import type { Collection, Db } from 'mongodb';
import type { SharedStrategy } from '../types.js';

/** A document of `shared_memory`. */
export interface SharedDoc {
  _id: string;
  tenantId: string;
  namespace: string;
  key: string;
  strategy: SharedStrategy;
  /** Set for `append` documents only. */
  version?: number;
  val: unknown;
  size: number;
  savedAt: Date;
}

/** A tombstone audit row. */
export interface TombstoneDoc {
  _id: string;
  tenantId: string;
  namespace: string;
  key: string;
  actor: string | null;
  reason: string | null;
  at: Date;
  /** Documents removed; null until the removal has run. */
  removed: number | null;
}

/** Access to one tenant's shared memory. */
export class SharedMemoryStore {
  private readonly docs: Collection<SharedDoc>;

  private readonly tombstones: Collection<TombstoneDoc>;

  constructor(db: Db, docsName: string, tombstonesName: string, private readonly tenantId: string) {
    this.docs = db.collection<SharedDoc>(docsName);
    this.tombstones = db.collection<TombstoneDoc>(tombstonesName);
  }

  /** The value of the `latest` document `_id`, or null. */
  async latestValue(id: string): Promise<Pick<SharedDoc, 'val'> | null> {
    return this.docs.findOne({ _id: id, tenantId: this.tenantId }, { projection: { val: 1 } });
  }

  /** The value of the newest `append` document of a key (or of its `version`), or null. */
  async appendedValue(namespace: string, key: string, version: number | undefined): Promise<Pick<SharedDoc, 'val'> | null> {
    return this.docs.findOne(
      { tenantId: this.tenantId, namespace, key, strategy: 'append', ...(version === undefined ? {} : { version }) },
      { projection: { val: 1 }, sort: { version: -1 } },
    );
  }

  /** The highest `append` version of a key, or -1 when it has none. */
  async newestVersion(namespace: string, key: string): Promise<number> {
    const top = await this.docs.findOne({ tenantId: this.tenantId, namespace, key, strategy: 'append' }, { projection: { version: 1 }, sort: { version: -1 } });
    return top?.version ?? -1;
  }

  /** Writes the `latest` document `_id` whole (a replace, created when missing: two first writers may both insert). */
  async replaceLatest(id: string, doc: Omit<SharedDoc, '_id'>): Promise<void> {
    await this.docs.replaceOne({ _id: id, tenantId: this.tenantId }, doc, { upsert: true });
  }

  /** Inserts an `append` document; a version held already throws the driver's duplicate-key error. */
  async insertAppend(doc: SharedDoc): Promise<void> {
    await this.docs.insertOne(doc);
  }

  /** Removes every document of a key; returns how many. */
  async removeKey(namespace: string, key: string): Promise<number> {
    return (await this.docs.deleteMany({ tenantId: this.tenantId, namespace, key })).deletedCount;
  }

  /** Inserts a tombstone audit row. */
  async insertTombstone(doc: TombstoneDoc): Promise<void> {
    await this.tombstones.insertOne(doc);
  }

  /** Records on tombstone `id` how many documents its removal took. */
  async setTombstoneRemoved(id: string, removed: number): Promise<void> {
    await this.tombstones.updateOne({ _id: id, tenantId: this.tenantId }, { $set: { removed } });
  }
}
