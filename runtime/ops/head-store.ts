/**
 * The `<collection>_head` collection: one document per record, pointing at its newest committed
 * version and carrying the indexed props (`meta`). Reads of the latest version are one lookup
 * here by `_id`, whatever the length of the history.
 */
import type { ClientSession, Collection, Db } from 'mongodb';
import type { StoredSystem } from './stored-state.js';
import { pickSystem } from './stored-state.js';
import type { HeadShadow } from './dev-shadow.js';

/** A head document. */
export interface HeadDoc extends StoredSystem {
  _id: string;
  meta: Record<string, unknown>;
  /** The dev shadow of this very version (see `dev-shadow.ts`); absent when off, over its bound, or moved without one. */
  shadow?: HeadShadow;
}

/** Access to one collection's heads. */
export class HeadStore {
  readonly coll: Collection<HeadDoc>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<HeadDoc>(name);
  }

  /** The head of `id`, or null. */
  async get(id: string, session?: ClientSession): Promise<HeadDoc | null> {
    return this.coll.findOne({ _id: id }, session ? { session } : {});
  }

  /**
   * Moves the head of `id` forward to the given state, only if it is behind it (compare-and-set on
   * `ov`). Creates the head for a first version. Idempotent: moving to a state already reached, or
   * passed, changes nothing. Returns true when this call moved it.
   *
   * `shadow` (the dev shadow of this version) is set in the same update; a move without one
   * removes any shadow of the previous version, so the head never carries another version's copy.
   */
  async moveTo(id: string, state: StoredSystem, meta: Record<string, unknown>, session?: ClientSession, shadow?: HeadShadow): Promise<boolean> {
    const set: Omit<HeadDoc, '_id'> = { ...pickSystem(state), meta, ...(shadow ? { shadow } : {}) };
    const unset: Record<string, ''> = shadow ? {} : { shadow: '' };
    for (const k of ['parentId', 'parentCollection', 'originId', 'originCollection'] as const) {
      if (set[k] === undefined) unset[k] = '';
    }
    try {
      const res = await this.coll.updateOne(
        { _id: id, ov: { $lt: state.ov } },
        Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set },
        { upsert: true, ...(session ? { session } : {}) },
      );
      return res.modifiedCount + res.upsertedCount > 0;
    } catch (e) {
      // The upsert collided with an existing head that is already at or past this version.
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /** Removes the head if it is still at `ov` (hard delete). Returns true when it did. */
  async removeAt(id: string, ov: number): Promise<boolean> {
    const res = await this.coll.deleteOne({ _id: id, ov });
    return res.deletedCount > 0;
  }
}

/** True for a Mongo duplicate-key error (E11000), whichever server raised it. */
export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}
