/**
 * The `<collection>_head` collection: one document per record, pointing at its newest committed
 * version and carrying the indexed props (`meta`). Reads of the latest version are one lookup
 * here by `_id`, whatever the length of the history. Moving a head is the commit point of a
 * write (see `write-protocol.md`). Every query the engine sends to heads lives in this file;
 * the read-only counts and aggregates of analytics rules are `analytics/store/head-query-store.ts`.
 */
import type { AnyBulkWriteOperation, Collection, Db, Filter, Sort } from 'mongodb';
import { GroupCommit, sharedGroupCommit } from './group-commit.js';
import { duplicateKeyIndexes, outcomesFromBulkError, type ItemOutcome } from '../../mongo/bulk-write-errors.js';
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
    this.moves = sharedGroupCommit(db, `${name}\u0000moves`, () => new GroupCommit<HeadMove>((moves) => sendMoves(coll, moves), (move) => move.doc._id));
  }

  /** The head of `id`, or null. */
  async get(id: string): Promise<HeadDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /** The lineage origin recorded on the head of `id` (only those fields read), or null when there is no head. */
  async origin(id: string): Promise<Pick<HeadDoc, 'originId' | 'originCollection'> | null> {
    return this.coll.findOne({ _id: id }, { projection: { originId: 1, originCollection: 1 } });
  }

  /**
   * The commit of a write: sets the head of `id` to `state` (creating it for a first version).
   * Only the holder of the claim on `(id, state.ov)` calls this, while its lease holds. A create
   * inserts the head (on FerretDB, an insert is the one write that does not scan the collection);
   * a later version replaces the head only where it is at the version below (`{ _id, ov }`, served
   * by the `_id` index). The claim alone does not guarantee that: a writer that read the head long
   * ago may have claimed a version whose row was pruned since (versioning off, retention), and
   * must not move the head backwards ({@link HeadMovedError}); a head that is gone was erased, and
   * a commit must never bring it back ({@link HeadGoneError}). Idempotent: a retry whose first
   * reply was lost finds the head already at this version and succeeds.
   *
   * `shadow` (the dev shadow of this version) is part of the document; a head written without one
   * has none, so the head never carries another version's copy.
   */
  async commit(id: string, state: StoredSystem, meta: Record<string, unknown>, shadow?: HeadShadow): Promise<void> {
    const doc = headDoc(id, state, meta, shadow);
    // Sent with the head moves other callers make at the same moment (see group-commit.ts).
    await this.moves.submit({ kind: state.ov === 0 ? 'insert' : 'replace', doc });
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
      // Only a record's first version may create its head: a later one without a head was erased.
      const res = await this.coll.replaceOne({ _id: id, ov: { $lt: state.ov } }, headDoc(id, state, meta), { upsert: state.ov === 0 });
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

  /**
   * The heads matching `filter` in id order, `size` at a time, through one cursor: a meta
   * backfill walks them once. (A query per batch would scan the collection again for each
   * batch on a server that answers range filters with a scan.)
   */
  async *batchesById(filter: Filter<HeadDoc>, size: number): AsyncGenerator<HeadDoc[]> {
    let batch: HeadDoc[] = [];
    for await (const head of this.coll.find(filter, { sort: { _id: 1 }, batchSize: size, projection: { shadow: 0 } })) {
      batch.push(head);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** How many heads match a filter (the size of a meta backfill). */
  async count(filter: Filter<HeadDoc>): Promise<number> {
    return this.coll.countDocuments(filter);
  }

  /**
   * Gives the changed heads of a meta backfill batch their new indexed props, in one bulk write.
   * Each head is written whole like every head, and only while still at the version read
   * (`{ _id, ov }`): a head that moved on is left alone (its writer computed its meta under the
   * current declaration). Returns how many were replaced.
   */
  async replaceMetaMany(changes: ReadonlyArray<{ head: HeadDoc; meta: Record<string, unknown> }>): Promise<number> {
    if (changes.length === 0) return 0;
    const res = await this.coll.bulkWrite(
      changes.map(({ head, meta }) => ({ replaceOne: { filter: { _id: head._id, ov: head.ov }, replacement: headDoc(head._id, head, meta) } })),
      { ordered: false },
    );
    return res.matchedCount;
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

/**
 * A commit found no head to replace: the record was erased after the writer read it. The writer
 * still holds its claim, gives it up and reports the record as not found.
 */
export class HeadGoneError extends Error {
  constructor(readonly id: string) {
    super(`the head of ${id} is gone: the record was erased`);
    this.name = 'HeadGoneError';
  }
}

/**
 * A commit found the head at another version than the one below its own: the writer built on a
 * head it read before other versions landed (and claimed a version pruned since), or a create
 * met a record that already exists. The writer gives up its claim and reports a conflict.
 */
export class HeadMovedError extends Error {
  constructor(readonly id: string, readonly currentOv: number) {
    super(`the head of ${id} is at version ${currentOv}`);
    this.name = 'HeadMovedError';
  }
}

/**
 * Sends a batch of head moves (see group-commit.ts): one alone as a plain command, more as one
 * unordered `bulkWrite`. A replace matches only a head at the version below its own and never
 * upserts; an insert fails on an existing head. Moves that did not land are told apart by reading
 * those heads back ({@link settleUnapplied}), which happens only when one did not land.
 */
async function sendMoves(coll: Collection<HeadDoc>, moves: readonly HeadMove[]): Promise<ItemOutcome[]> {
  let outcomes: ItemOutcome[];
  let unapplied: HeadMove[] = [];
  const only = moves.length === 1 ? moves[0] : undefined;
  if (only) {
    try {
      if (only.kind === 'insert') await coll.insertOne(only.doc);
      else if ((await coll.replaceOne(replaceFilter(only.doc), only.doc)).matchedCount === 0) unapplied = [only];
      outcomes = [{ ok: true }];
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      outcomes = [{ ok: true }];
      unapplied = [only];
    }
  } else {
    let matched: number | undefined;
    try {
      matched = (await coll.bulkWrite(moves.map(asBulkOperation), { ordered: false })).matchedCount;
      outcomes = moves.map(() => ({ ok: true }) as const);
    } catch (e) {
      outcomes = outcomesFromBulkError(e, moves.length);
    }
    const replaced = moves.filter((m, i) => m.kind === 'replace' && outcomes[i]?.ok).length;
    unapplied = moves.filter((m, i) => {
      const outcome = outcomes[i] as ItemOutcome;
      if (m.kind === 'insert') return !outcome.ok && isDuplicateKeyError(outcome.error);
      return outcome.ok && (matched === undefined || matched < replaced);
    });
  }
  if (unapplied.length === 0) return outcomes;
  const verdicts = await settleUnapplied(coll, unapplied);
  return outcomes.map((outcome, i) => verdicts.get(moves[i] as HeadMove) ?? outcome);
}

/**
 * The outcome of each move that may not have landed, from the heads as they are now: the head at
 * the move's own version and cv is the move itself (applied, or a retry of one whose reply was
 * lost); no head means the record was erased; any other head means it moved.
 */
async function settleUnapplied(coll: Collection<HeadDoc>, moves: readonly HeadMove[]): Promise<Map<HeadMove, ItemOutcome>> {
  const ids = moves.map((m) => m.doc._id);
  const found = await coll.find({ _id: { $in: ids } }, { projection: { ov: 1, cv: 1 } }).toArray();
  const heads = new Map(found.map((h) => [h._id, h]));
  return new Map<HeadMove, ItemOutcome>(
    moves.map((move): [HeadMove, ItemOutcome] => {
      const head = heads.get(move.doc._id);
      if (head && head.ov === move.doc.ov && head.cv === move.doc.cv) return [move, { ok: true }];
      const error = head ? new HeadMovedError(move.doc._id, head.ov) : new HeadGoneError(move.doc._id);
      return [move, { ok: false, error }];
    }),
  );
}

/** A replace lands only on the head at the version below the new one. */
function replaceFilter(doc: HeadDoc): Filter<HeadDoc> {
  return { _id: doc._id, ov: doc.ov - 1 };
}

/** `e`, or the error it wraps, when it is a {@link HeadGoneError} or {@link HeadMovedError}; else null. */
export function headMoveFailure(e: unknown): HeadGoneError | HeadMovedError | null {
  for (const candidate of [e, e instanceof Error ? e.cause : undefined]) {
    if (candidate instanceof HeadGoneError || candidate instanceof HeadMovedError) return candidate;
  }
  return null;
}

/** One head move as an operation of a shared `bulkWrite`. */
function asBulkOperation(move: HeadMove): AnyBulkWriteOperation<HeadDoc> {
  return move.kind === 'insert'
    ? { insertOne: { document: move.doc } }
    : { replaceOne: { filter: replaceFilter(move.doc), replacement: move.doc } };
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

