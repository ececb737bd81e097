/**
 * Read-only queries analytics rules send to a `<collection>_head` collection: counts, a `$group`
 * sum, and values read in sort order. Only shapes both MongoDB and FerretDB v1 run are used
 * (measured: FerretDB 1.24 has `$group` with one `$sum` but not `$avg`, `$max` or `$min`).
 * Every analytics query on heads lives in this file; writes to heads are the engine's
 * (`ops/store/head-store.ts`).
 */
import type { Collection, Db, Document } from 'mongodb';

/** Read access to one collection's heads. */
export class HeadQueryStore {
  private readonly coll: Collection<Document>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<Document>(name);
  }

  /** Heads matching `filter`. */
  async count(filter: Document): Promise<number> {
    return this.coll.countDocuments(filter);
  }

  /** The sum of the field at `path` over the heads matching `filter` (one `$group` with one `$sum`); 0 when none match. */
  async sum(filter: Document, path: string): Promise<number> {
    const rows = await this.coll.aggregate<{ sum: number }>([{ $match: filter }, { $group: { _id: null, sum: { $sum: `$${path}` } } }]).toArray();
    return rows[0]?.sum ?? 0;
  }

  /**
   * Up to `limit` heads matching `filter` in order of `path` (ties by `_id`) after skipping
   * `skip`, with only `path` projected.
   */
  async ordered(filter: Document, path: string, direction: 1 | -1, skip: number, limit: number): Promise<Document[]> {
    const cursor = this.coll.find(filter, { projection: { [path]: 1 } }).sort({ [path]: direction, _id: 1 });
    return (skip > 0 ? cursor.skip(skip) : cursor).limit(limit).toArray();
  }
}
