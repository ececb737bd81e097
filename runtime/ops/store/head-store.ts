/**
 * The `<collection>_head` collection: one document per record, pointing at its newest committed
 * version and carrying the indexed props (`meta`). Reads of the latest version are one lookup
 * here by `_id`, whatever the length of the history. Moving a head is the commit point of a
 * write (see `write-protocol.md`). Every query on heads lives in this file.
 */
import type { AnyBulkWriteOperation, Collection, Db, Filter, Sort } from 'mongodb';
import { GroupCommit, duplicateKeyIndexes, sharedGroupCommit, unorderedSend } from './group-commit.js';
import { isDuplicateKeyError } from '../../mongo/duplicate-key.js';
import type { StoredSystem } from '../stored-state.js';
import { pickSystem } from '../stored-state.js';
import type { HeadShadow } from '../dev-shadow.js';

/** A head document. */
export interface HeadDoc extends StoredSystem {
  _id: string;
  meta: Record<string, unknown>;
  /** The dev shadow of this very version (see `dev-shadow.ts`); absent when off, over its bound, or moved without one. */
  shadow?: HeadShadow;
}

/** Access to one collection's heads. */
export class HeadStore {
  private readonly coll: Collection<HeadDoc>;

  private readonly moves: GroupCommit<HeadMove>;

  constructor(db: Db, name: string) {
    const coll = db.collection<HeadDoc>(name);
    this.coll = coll;
    this.moves = sharedGroupCommit(db, `${name}\u0000moves`, () =>
      new GroupCommit<HeadMove>(
        unorderedSend(
          (move) => moveOne(coll, move),
          (moves) => coll.bulkWrite(moves.map(asBulkOperation), { ordered: false }),
        ),
        (move) => move.doc._id,
      ),
    );
  }

  /** The head of `id`, or null. */
  async get(id: string): Promise<HeadDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /**
   * The commit of a write: sets the head of `id` to `state` (creating it for a first version).
   * Only the holder of the claim on `(id, state.ov)` calls this, while its lease holds, so no
   * compare-and-set is needed: the claim already made it the one writer of that version, and
   * the version below it is the head it read. A create inserts the head (on FerretDB, an insert
   * is the one write that does not scan the collection); later versions replace it. Idempotent.
   *
   * `shadow` (the dev shadow of this version) is part of the document; a head written without one
   * has none, so the head never carries another version's copy.
   */
  async commit(id: string, state: StoredSystem, meta: Record<string, unknown>, shadow?: HeadShadow): Promise<void> {
    const doc = headDoc(id, state, meta, shadow);
    // Sent with the head moves other callers make at the same moment (see group-commit.ts).
    if (state.ov === 0) {
      // A create: the record has no head yet, and an insert is the cheapest first write.
      try {
        await this.moves.submit({ kind: 'insert', doc });
        return;
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        // Our own insert whose reply was lost, or a record whose version 0 was pruned: replace it.
      }
    }
    await this.moves.submit({ kind: 'replace', doc });
  }

  /**
   * The commit of a batch of creates: inserts the first head of each fresh record in one
   * unordered command. A head that exists already is this call's own from an earlier try whose
   * reply was lost (fresh ids have no other writer), so duplicates are fine.
   */
  async insertMany(heads: ReadonlyArray<{ id: string; state: StoredSystem; meta: Record<string, unknown> }>): Promise<void> {
    try {
      await this.coll.insertMany(heads.map((h) => headDoc(h.id, h.state, h.meta)), { ordered: false });
    } catch (e) {
      duplicateKeyIndexes(e, heads.length); // rethrows any failure but a duplicate
    }
  }

  /**
   * Moves the head of `id` forward to `state` only if it is behind it (compare-and-set on `ov`):
   * what repairs use (rolling a dead writer's version forward, advancing a head left behind), as
   * they may race the record's next writer. Returns true when this call moved it.
   */
  async advanceTo(id: string, state: StoredSystem, meta: Record<string, unknown>): Promise<boolean> {
    try {
      const res = await this.coll.replaceOne({ _id: id, ov: { $lt: state.ov } }, headDoc(id, state, meta), { upsert: true });
      return res.modifiedCount + res.upsertedCount > 0;
    } catch (e) {
      // The upsert collided with an existing head that is already at or past this version.
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /** Removes the head if it is below `ov` (hard delete at claim `ov`). Returns true when it did. */
  async removeBelow(id: string, ov: number): Promise<boolean> {
    const res = await this.coll.deleteOne({ _id: id, ov: { $lt: ov } });
    return res.deletedCount > 0;
  }

  /** The `ov` of each of `ids` that has a head. */
  async versionsOf(ids: readonly string[]): Promise<Map<string, number>> {
    const found = await this.coll.find({ _id: { $in: [...ids] } }, { projection: { ov: 1 } }).toArray();
    return new Map(found.map((h) => [h._id, h.ov]));
  }

  /** One page of heads for `listByMeta` (the filter is built and checked by `meta-filter.ts`). */
  async page(filter: Filter<HeadDoc>, sort: Sort, limit: number): Promise<HeadDoc[]> {
    return this.coll.find(filter, { sort, limit, projection: { shadow: 0 } }).toArray();
  }

  /** How many heads match a filter (the size of a meta backfill). */
  async count(filter: Filter<HeadDoc>): Promise<number> {
    return this.coll.countDocuments(filter);
  }

  /**
   * Gives the head of version `head.ov` new indexed props (a meta backfill), written whole like
   * every head; a head that has moved on since it was read is left alone (its writer computed
   * its meta under the current declaration). True when it was replaced.
   */
  async replaceMetaAt(head: HeadDoc, meta: Record<string, unknown>): Promise<boolean> {
    const res = await this.coll.replaceOne({ _id: head._id, ov: head.ov }, headDoc(head._id, head, meta));
    return res.matchedCount > 0;
  }

  /** Every head, by id (restoreCollection walks them). */
  all(): AsyncIterable<HeadDoc> {
    return this.coll.find({}, { sort: { _id: 1 } });
  }
}

/** One head write of the commit step: the first head of a record, or a whole new head over the old. */
interface HeadMove {
  readonly kind: 'insert' | 'replace';
  readonly doc: HeadDoc;
}

/** Sends one head move on its own (a batch of one). */
async function moveOne(coll: Collection<HeadDoc>, move: HeadMove): Promise<void> {
  if (move.kind === 'insert') await coll.insertOne(move.doc);
  else await coll.replaceOne({ _id: move.doc._id }, move.doc, { upsert: true });
}

/** One head move as an operation of a shared `bulkWrite`. */
function asBulkOperation(move: HeadMove): AnyBulkWriteOperation<HeadDoc> {
  return move.kind === 'insert'
    ? { insertOne: { document: move.doc } }
    : { replaceOne: { filter: { _id: move.doc._id }, replacement: move.doc, upsert: true } };
}

/**
 * The whole head document of a version. Heads are always written whole (insert or replace),
 * never with `$set`: FerretDB 1.24 skips a `$set` of an embedded document whose keys differ but
 * whose values compare equal (`meta: { status: 'A' }` over `meta: { orderId: 'A' }` left the old
 * one), and a replacement also drops the previous version's shadow and lineage by itself.
 */
function headDoc(id: string, state: StoredSystem, meta: Record<string, unknown>, shadow?: HeadShadow): HeadDoc {
  return { _id: id, ...pickSystem(state), meta, ...(shadow ? { shadow } : {}) };
}

