/**
 * The `<collection>_ver` collection: one row per version, and the claim that makes writers take
 * turns. A writer inserts its row `pending` (the unique `(id, ov)` index makes it the only
 * writer of that version), writes the payload, and commits by moving the head. A row is
 * therefore committed when `state` says so **or** when the record's head has reached its `ov`
 * ({@link isCommitted}); `state` is set to `committed` only by repairs, never on the write path.
 * Every query on rows lives in this file. See `write-protocol.md`.
 */
import { GroupCommit, sharedGroupCommit, unorderedSend } from './group-commit.js';
import { duplicateKeyIndexes } from '../../mongo/bulk-write-errors.js';
import type { Collection, Db } from 'mongodb';
import type { StoredSystem } from '../stored-state.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- imported for the {@link} in the TSDoc below
import type { WriteOptions } from '../types.js';
import type { HeadDoc } from './head-store.js';

/** What kind of write made a version. */
export type VersionKind = 'create' | 'update' | 'delete' | 'enrich' | 'restore' | 'hard-delete' | 'reap';

/** Kinds of rows that are claims for housekeeping, never readable versions. */
const HOUSEKEEPING: ReadonlySet<VersionKind> = new Set(['hard-delete', 'reap']);

/** A version row. `at` equals `updatedAt` and is what time travel searches. */
export interface VersionRow extends StoredSystem {
  /** `<id>:<ov>` (set on insert): reads of one version are a lookup by `_id` (the `_id` index; stock FerretDB scans, see write-protocol.md). */
  _id?: string;
  id: string;
  /** `pending` from the claim until a repair marks it; see {@link isCommitted} for what counts. */
  state: 'pending' | 'committed';
  /** Random token of the claiming writer. */
  claim: string;
  /** When the claim was taken (writer's clock). */
  claimedAt: Date;
  /**
   * Until when the claiming writer is known alive (its clock). The writer renews it while its
   * write is in flight; once it has passed by more than the allowed clock skew, the writer is
   * taken as dead and the next writer (or reconcile) settles the claim. Rows written before
   * leases existed lack it.
   */
  leaseUntil?: Date;
  at: Date;
  kind: VersionKind;
  meta: Record<string, unknown>;
  actor?: string;
  reason?: string;
  /** The operation id ({@link WriteOptions.opId}, or one the engine generated): how a caller or a replay recognises this version. */
  opId?: string;
  /** On a `restore` row: the ov whose state it copies. */
  restoredFrom?: number;
  /**
   * Set by the claiming writer when it failed and could not clean up: it will never commit, so
   * the next writer of this version may settle the claim at once.
   */
  abandoned?: boolean;
}

/** The `_id` of the row of version `ov` of record `id`. */
export function rowKey(id: string, ov: number): string {
  return `${id}:${ov}`;
}

/**
 * True when `row` is a committed, readable version given the record's current head: marked
 * committed, or at or below the head (the head only ever moves to a version whose payload is
 * complete, and only the claim holder or a repair moves it).
 */
export function isCommitted(row: VersionRow, head: Pick<HeadDoc, 'ov'> | null): boolean {
  if (HOUSEKEEPING.has(row.kind)) return false;
  return row.state === 'committed' || (head !== null && row.ov <= head.ov);
}

/** Access to one collection's version rows. */
export class VersionStore {
  private readonly coll: Collection<VersionRow>;

  private readonly claims: GroupCommit<VersionRow & { _id: string }>;

  constructor(db: Db, name: string) {
    const coll = db.collection<VersionRow>(name);
    this.coll = coll;
    this.claims = sharedGroupCommit(db, `${name}\u0000claims`, () =>
      new GroupCommit<VersionRow & { _id: string }>(
        unorderedSend(
          (row) => coll.insertOne(row),
          (rows) => coll.insertMany([...rows], { ordered: false }),
        ),
        (row) => row._id,
      ),
    );
  }

  /**
   * Inserts a pending row (with the claims other callers make at the same moment, see
   * group-commit.ts); throws the server's E11000 when `(id, ov)` or `cv` is taken (or this very row exists).
   */
  async claim(row: VersionRow): Promise<void> {
    await this.claims.submit({ ...row, _id: rowKey(row.id, row.ov) });
  }

  /**
   * Inserts many pending rows in one unordered command; returns the indexes (into `rows`) that
   * failed with a duplicate key, and throws any other failure.
   */
  async claimMany(rows: readonly VersionRow[]): Promise<Set<number>> {
    if (rows.length === 0) return new Set();
    try {
      await this.coll.insertMany(rows.map((r) => ({ ...r, _id: rowKey(r.id, r.ov) })), { ordered: false });
      return new Set();
    } catch (e) {
      return duplicateKeyIndexes(e, rows.length);
    }
  }

  /** Extends the lease of a claim still held by `claim`; false when the row is gone (the claim was settled by someone else). */
  async renewLease(id: string, ov: number, claim: string, leaseUntil: Date): Promise<boolean> {
    const res = await this.coll.updateOne({ _id: rowKey(id, ov), claim }, { $set: { leaseUntil } });
    return res.matchedCount > 0;
  }

  /** Marks a claim committed (repairs only; the write path commits by moving the head). */
  async markCommitted(id: string, ov: number, claim: string): Promise<boolean> {
    const res = await this.coll.updateOne({ _id: rowKey(id, ov), claim }, { $set: { state: 'committed' } });
    return res.matchedCount > 0;
  }

  /** Deletes the row of this claim token if it is still pending (rollback). Returns true when it did. */
  async release(id: string, ov: number, claim: string): Promise<boolean> {
    const res = await this.coll.deleteOne({ _id: rowKey(id, ov), claim, state: 'pending' });
    return res.deletedCount > 0;
  }

  /** Marks the writer's own pending claim as abandoned (see {@link VersionRow.abandoned}). */
  async abandon(id: string, ov: number, claim: string): Promise<void> {
    await this.coll.updateOne({ _id: rowKey(id, ov), claim, state: 'pending' }, { $set: { abandoned: true } });
  }

  /** The row `(id, ov)` in any state, or null: a lookup by `_id`. */
  async row(id: string, ov: number): Promise<VersionRow | null> {
    return this.coll.findOne({ _id: rowKey(id, ov) });
  }

  /** The row `(id, ov)` when it is a committed version given `head` (see {@link isCommitted}), else null. */
  async committed(id: string, ov: number, head: HeadDoc | null): Promise<VersionRow | null> {
    const row = await this.row(id, ov);
    return row && isCommitted(row, head) ? row : null;
  }

  /**
   * The newest committed version of `id` at or before `at`, or null: one indexed query on
   * `{ id, at }`. See {@link asOfByLookups} for servers that scan instead of using indexes.
   */
  async asOf(id: string, at: Date, head: HeadDoc | null): Promise<VersionRow | null> {
    // Only the newest few rows can still be pending (claims sit right above the head).
    for await (const row of this.coll.find({ id, at: { $lte: at } }, { sort: { at: -1 } })) {
      if (isCommitted(row, head)) return row;
    }
    return null;
  }

  /**
   * {@link asOf} by binary search over the record's versions `0..head.ov` (times increase with
   * `ov` along a record), each probe a lookup by `_id`: about log2(versions) lookups instead of a
   * query, which is what a server that answers every query with a scan (FerretDB) wants.
   */
  async asOfByLookups(id: string, at: Date, head: HeadDoc | null): Promise<VersionRow | null> {
    if (!head) return this.asOf(id, at, head);
    if (head.updatedAt.getTime() <= at.getTime()) return this.row(id, head.ov);
    let lo = 0;
    let hi = head.ov - 1;
    let found: VersionRow | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const row = await this.row(id, mid);
      // A version removed by retention or pruning: fall back to the query for this record.
      if (!row) return this.asOf(id, at, head);
      if (row.at.getTime() <= at.getTime()) {
        found = row;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found && isCommitted(found, head) ? found : null;
  }

  /** Every committed version of `id`, oldest first. */
  async history(id: string, head: HeadDoc | null): Promise<VersionRow[]> {
    const rows = await this.coll.find({ id }, { sort: { ov: 1 } }).toArray();
    return rows.filter((r) => isCommitted(r, head));
  }

  /** Up to `limit` rows of `id` below `beforeOv` (all when absent), newest first: one page of a version log. */
  async page(id: string, beforeOv: number | undefined, limit: number): Promise<VersionRow[]> {
    const filter = beforeOv === undefined ? { id } : { id, ov: { $lt: beforeOv } };
    return this.coll.find(filter, { sort: { ov: -1 }, limit }).toArray();
  }

  /** Every row of `id` (any state, any kind), oldest first: hard delete and retention walk these. */
  async allOf(id: string): Promise<VersionRow[]> {
    return this.coll.find({ id }, { sort: { ov: 1 } }).toArray();
  }

  /** The newest row of `id` in any state, or null. */
  async newest(id: string): Promise<VersionRow | null> {
    return this.coll.findOne({ id }, { sort: { ov: -1 } });
  }

  /** The row of `id` carrying `opId`, in any state, or null (a replayed write looks for its earlier attempt). */
  async withOpId(id: string, opId: string): Promise<VersionRow | null> {
    return this.coll.findOne({ id, opId });
  }

  /** The pending hard-delete claim of `id`, or null. */
  async pendingHardDelete(id: string): Promise<VersionRow | null> {
    return this.coll.findOne({ id, kind: 'hard-delete', state: 'pending' });
  }

  /**
   * Marks many rows committed in one command (reconcile, for rows whose head has passed them).
   * Each row is matched by `_id` and its claim token, as {@link markCommitted} does: a row that
   * was removed and claimed again since it was read carries another token and is left alone.
   * Returns how many rows the server matched.
   */
  async markManyCommitted(rows: ReadonlyArray<Pick<VersionRow, 'id' | 'ov' | 'claim'>>): Promise<number> {
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => rowKey(r.id, r.ov));
    const claims = [...new Set(rows.map((r) => r.claim))];
    const res = await this.coll.updateMany({ _id: { $in: ids }, claim: { $in: claims } }, { $set: { state: 'committed' } });
    return res.matchedCount;
  }

  /**
   * Every row not marked committed, by record then version (reconcile). The filter alone goes to
   * the server, so the `{ state, at }` index serves it (on MongoDB the rows repairs have marked
   * are never read again); the order is made here.
   */
  async pending(): Promise<VersionRow[]> {
    const rows = await this.coll.find({ state: 'pending' }).toArray();
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.ov - b.ov));
  }

  /** Rows marked committed, in no order (reconcile looks for heads left behind by the old protocol). */
  markedCommitted(): AsyncIterable<VersionRow> {
    return this.coll.find({ state: 'committed' });
  }

  /** Every row, by record then version (retention, restoreCollection). */
  all(): AsyncIterable<VersionRow> {
    return this.coll.find({}, { sort: { id: 1, ov: 1 } });
  }

  /** Rows whose `cv` is at most `cv`, or whose time is at most `at` (restoreCollection's target). */
  upTo(where: { cv: number } | { at: Date }): AsyncIterable<VersionRow> {
    if ('cv' in where) return this.coll.find({ cv: { $lte: where.cv } }, { sort: { cv: 1 } });
    return this.coll.find({ state: { $in: ['pending', 'committed'] }, at: { $lte: where.at } }, { sort: { at: 1 } });
  }

  /** The `(id, ov)` pairs among `ids` that have a row (reconcile's orphan check). */
  async versionsOf(ids: readonly string[]): Promise<Array<{ id: string; ov: number }>> {
    return this.coll.find({ id: { $in: [...ids] } }, { projection: { _id: 0, id: 1, ov: 1 } }).toArray();
  }

  /** The highest cv in use, 0 when none (the cv allocator re-syncs past it after a collision). */
  async maxCv(): Promise<number> {
    const top = await this.coll.find({}, { sort: { cv: -1 }, limit: 1, projection: { cv: 1 } }).toArray();
    return top[0]?.cv ?? 0;
  }

  /** How many rows of `id` lie below `ov` (hard delete reports it). */
  async countBelow(id: string, ov: number): Promise<number> {
    return this.coll.countDocuments({ id, ov: { $lt: ov } });
  }

  /**
   * Turns every row of `id` below `ov` into an erased tombstone (hard delete): the row keeps its
   * `(id, ov)` and `cv`, so the version stays taken and a writer that read the record before the
   * erasure collides with it instead of writing into a freed slot, but it loses everything that
   * described the record (indexed values, actor, reason, operation id, lineage, function ids).
   */
  async eraseBelow(id: string, ov: number): Promise<number> {
    const res = await this.coll.updateMany(
      { id, ov: { $lt: ov } },
      {
        $set: { kind: 'hard-delete', state: 'committed', meta: {}, functionIds: [], deleted: true },
        $unset: { actor: '', reason: '', opId: '', parentId: '', parentCollection: '', originId: '', originCollection: '', leaseUntil: '', abandoned: '' },
      },
    );
    return res.matchedCount;
  }

  /** Removes one version's row whatever its claim (retention, pruning; the head is past it). */
  async removeVersion(id: string, ov: number): Promise<boolean> {
    return (await this.coll.deleteOne({ id, ov })).deletedCount > 0;
  }
}
