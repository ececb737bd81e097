/**
 * The `<collection>_ver` collection: one row per version, and the claim that makes writers take
 * turns. A row is inserted `pending` by the writer that wins `(id, ov)` (unique index), then
 * marked `committed`; readers only ever see committed rows. See `write-protocol.md`.
 */
import type { ClientSession, Collection, Db } from 'mongodb';
import type { StoredSystem } from './stored-state.js';
import type { WriteOptions } from './types.js';

/** What kind of write made a version. */
export type VersionKind = 'create' | 'update' | 'delete' | 'enrich' | 'restore' | 'hard-delete' | 'reap';

/** A version row. `at` equals `updatedAt` and is what time travel searches. */
export interface VersionRow extends StoredSystem {
  /** `<id>:<ov>:<claim>` (set on insert): commits address the row by `_id` alone, which even FerretDB looks up without a scan, and a row re-claimed by another writer has another `_id`. */
  _id?: string;
  id: string;
  state: 'pending' | 'committed';
  /** Random token of the claiming writer: only it may commit this row. */
  claim: string;
  /** When the claim was taken (writer's clock); the reconciler waits a grace period after it. */
  claimedAt: Date;
  at: Date;
  kind: VersionKind;
  meta: Record<string, unknown>;
  actor?: string;
  reason?: string;
  /** The writer's operation id ({@link WriteOptions.opId}), when it gave one: how a retried write recognises its own earlier commit. */
  opId?: string;
  /**
   * Set by the claiming writer when it failed and could not clean up (storage unreachable): it
   * will never commit, and nothing of its will land later, so the next writer of this version
   * may settle the claim at once instead of waiting for the reconciler's grace period.
   */
  abandoned?: boolean;
}

/** The `_id` of the row a claim inserts. */
export function rowKey(id: string, ov: number, claim: string): string {
  return `${id}:${ov}:${claim}`;
}

/** Access to one collection's version rows. */
export class VersionIndex {
  readonly coll: Collection<VersionRow>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<VersionRow>(name);
  }

  /** Inserts a pending row; throws the server's E11000 when `(id, ov)` or `cv` is taken. */
  async claim(row: VersionRow): Promise<void> {
    await this.coll.insertOne({ ...row, _id: rowKey(row.id, row.ov, row.claim) });
  }

  /**
   * Marks the row committed, only if the row of this claim token still exists: a writer whose
   * claim the reconciler rolled back gets false and must not move the head (a new claim on the
   * same version has another `_id`). True also when the reconciler already committed it for us.
   */
  async commit(id: string, ov: number, claim: string, session?: ClientSession): Promise<boolean> {
    const res = await this.coll.updateOne(
      { _id: rowKey(id, ov, claim) },
      { $set: { state: 'committed' } },
      session ? { session } : {},
    );
    return res.matchedCount > 0;
  }

  /** Deletes the row of this claim token if it is still pending (rollback). Returns true when it did. */
  async release(id: string, ov: number, claim: string): Promise<boolean> {
    const res = await this.coll.deleteOne({ _id: rowKey(id, ov, claim), state: 'pending' });
    return res.deletedCount > 0;
  }

  /** Marks the writer's own pending claim as abandoned (see {@link VersionRow.abandoned}). */
  async abandon(id: string, ov: number, claim: string): Promise<void> {
    await this.coll.updateOne({ _id: rowKey(id, ov, claim), state: 'pending' }, { $set: { abandoned: true } });
  }

  /** The row `(id, ov)` in any state, or null. */
  async row(id: string, ov: number): Promise<VersionRow | null> {
    return this.coll.findOne({ id, ov });
  }

  /** The committed version `(id, ov)`, or null. */
  async committed(id: string, ov: number): Promise<VersionRow | null> {
    const row = await this.coll.findOne({ id, ov });
    return row && row.state === 'committed' ? row : null;
  }

  /** The newest committed version of `id` at or before `at`, or null. */
  async asOf(id: string, at: Date): Promise<VersionRow | null> {
    return this.coll.findOne({ id, state: 'committed', at: { $lte: at } }, { sort: { at: -1 } });
  }

  /** Every committed version of `id`, oldest first. */
  async history(id: string): Promise<VersionRow[]> {
    const rows = await this.coll.find({ id }, { sort: { ov: 1 } }).toArray();
    return rows.filter((r) => r.state === 'committed');
  }
}
