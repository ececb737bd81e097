/**
 * The results of scheduled analytics rules in an analytics database (`timeBasedResults`,
 * `crossTenantResults`): one document per rule run and bucket, replaced when the run is
 * repeated. Every query on those collections lives in this file.
 */
import type { Collection, Db, Document } from 'mongodb';

/** Access to one result collection of one analytics database. */
export class RuleResultStore<T extends { _id: string; timestamp: Date }> {
  private readonly coll: Collection<Document>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<Document>(name);
  }

  /** Writes `result` whole (a replace by `_id`, created when missing). */
  async save(result: T): Promise<void> {
    await this.coll.replaceOne({ _id: result._id } as Document, result, { upsert: true });
  }

  /** The newest `limit` results matching `filter` (newest first, ties by `_id`). */
  async newest(filter: Document, limit: number): Promise<T[]> {
    return (await this.coll.find(filter).sort({ timestamp: -1, _id: 1 }).limit(limit).toArray()) as unknown as T[];
  }
}
