/**
 * The counter collections of an analytics database: `cnt_total` (totals and buckets, with the
 * writers' batch markers `j.<writer>`), `cnt_unique` (values already counted as unique) and
 * `cnt_seen` (versions already counted). Every query on them lives in this file; what a batch
 * does with them, and in which order, is `counter-writer.ts` and `counter-recovery.ts`
 * (see `counter-protocol.md`).
 */
import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import type { SeenRow } from '../counter-contribution.js';

/** A counter document addressed by its `_id`. */
export type KeyedDoc = Document & { _id: string };

/** The collections a batch inserts claim rows into: seen versions or seen unique values. */
export type ClaimRows = 'seen' | 'unique';

/** The names of the counter collections. */
export interface CounterCollectionNames {
  totals: string;
  unique: string;
  seen: string;
}

/** Access to the counter collections of one analytics database. */
export class CounterStore {
  private readonly totals: Collection<KeyedDoc>;

  private readonly unique: Collection<KeyedDoc>;

  private readonly seen: Collection<KeyedDoc>;

  constructor(db: Db, names: CounterCollectionNames) {
    this.totals = db.collection<KeyedDoc>(names.totals);
    this.unique = db.collection<KeyedDoc>(names.unique);
    this.seen = db.collection<KeyedDoc>(names.seen);
  }

  private rows(kind: ClaimRows): Collection<KeyedDoc> {
    return kind === 'seen' ? this.seen : this.unique;
  }

  /** Inserts claim rows with one unordered `insertMany`; duplicates come back as the driver's `MongoBulkWriteError`. */
  async insertRows(kind: ClaimRows, rows: readonly KeyedDoc[]): Promise<void> {
    await this.rows(kind).insertMany(rows as KeyedDoc[], { ordered: false });
  }

  /** The batch (`b`) that holds claim row `id`, or undefined. */
  async rowBatch(kind: ClaimRows, id: string): Promise<unknown> {
    return (await this.rows(kind).findOne({ _id: id }, { projection: { b: 1 } }))?.b;
  }

  /** The `cnt_seen` rows of batch `batchId`. */
  async seenRowsOf(batchId: string): Promise<SeenRow[]> {
    return (await this.seen.find({ b: batchId }).toArray()) as unknown as SeenRow[];
  }

  /** The `_id`s of the `cnt_seen` rows of one collection of one database and tenant. */
  seenIdsOf(dbName: string, collection: string, tenantId: string | null): AsyncIterable<{ _id: string }> {
    return this.seen.find({ db: dbName, c: collection, t: tenantId }, { projection: { _id: 1 } });
  }

  /** Sends counter upserts as one unordered `bulkWrite`; E11000 races come back as the driver's `MongoBulkWriteError`. */
  async bulkIncrement(ops: ReadonlyArray<AnyBulkWriteOperation<KeyedDoc>>): Promise<void> {
    await this.totals.bulkWrite(ops as Array<AnyBulkWriteOperation<KeyedDoc>>, { ordered: false });
  }

  /** Counter document `id` with only the marker of `writer` read, or null. */
  async marker(id: string, writer: string): Promise<KeyedDoc | null> {
    return this.totals.findOne({ _id: id }, { projection: { [`j.${writer}`]: 1 } });
  }

  /** Applies `update` to counter document `id`, creating it when missing. */
  async increment(id: string, update: Document): Promise<void> {
    await this.totals.updateOne({ _id: id }, update, { upsert: true });
  }

  /** Every counter document that carries batch markers, with only the markers read. */
  withMarkers(): AsyncIterable<KeyedDoc> {
    return this.totals.find({ j: { $exists: true } }, { projection: { j: 1 } });
  }

  /** Removes the marker of `writer` from counter document `id` while it still names `batchId`; 1 when removed. */
  async clearMarker(id: string, writer: string, batchId: string): Promise<number> {
    return (await this.totals.updateOne({ _id: id, [`j.${writer}`]: batchId }, { $unset: { [`j.${writer}`]: '' } })).modifiedCount;
  }

  /** Counter document `id`, or null. */
  async total(id: string): Promise<KeyedDoc | null> {
    return this.totals.findOne({ _id: id });
  }

  /** Up to `limit` all-time totals of one collection of one database (one per tenant counted there). */
  async allTimeTotals(dbName: string, collection: string, limit: number): Promise<KeyedDoc[]> {
    return this.totals.find({ dbName, collection, granularity: 'all' }).limit(limit).toArray();
  }

  /** The bucket documents matching `filter`, oldest first. */
  async buckets(filter: Document): Promise<KeyedDoc[]> {
    return this.totals.find(filter).sort({ start: 1 }).toArray();
  }

  /** Removes the unique values, then the buckets, of `granularity` that start before `cutoff`; returns how many of each. */
  async pruneBefore(granularity: string, cutoff: Date): Promise<{ uniqueValues: number; buckets: number }> {
    // Seen values first: a crash between the two deletes leaves a bucket without its seen values
    // only for buckets that are being removed anyway.
    const uniques = await this.unique.deleteMany({ g: granularity, start: { $lt: cutoff } });
    const buckets = await this.totals.deleteMany({ granularity, start: { $lt: cutoff } });
    return { uniqueValues: uniques.deletedCount, buckets: buckets.deletedCount };
  }
}
