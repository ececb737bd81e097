/**
 * `chronos_meta_backfills`: one marker per collection saying which revision and indexed props a
 * meta backfill brings its heads to and how far it got (see `ops/backfill-meta.ts`). Every query
 * on the markers lives in this file.
 */
import type { Collection, Db } from 'mongodb';

/** Which heads a backfill looks at: all (indexed props changed, or none recorded) or those of older revisions. */
export type BackfillScope = 'all' | 'older-revisions';

/** The progress marker of one collection's backfill. */
export interface BackfillMarker {
  _id: string;
  revision: number;
  indexedProps: string[];
  scope: BackfillScope;
  complete: boolean;
  /** The last head done by a run that has not finished. */
  after?: string;
  updatedAt: Date;
}

/** Access to the backfill markers of one database. */
export class BackfillMarkerStore {
  private readonly coll: Collection<BackfillMarker>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<BackfillMarker>(name);
  }

  /** The marker of `collection`, or null when no backfill ever ran for it. */
  async get(collection: string): Promise<BackfillMarker | null> {
    return this.coll.findOne({ _id: collection });
  }

  /** Writes the marker of `collection` whole (a replace by `_id`, created when missing). */
  async save(collection: string, marker: Omit<BackfillMarker, '_id'>): Promise<void> {
    await this.coll.replaceOne({ _id: collection }, marker, { upsert: true });
  }
}
