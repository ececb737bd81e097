/**
 * The `<collection>_locks` collection: who settles a dead writer's claim. Settling acts on the
 * claim's row and the record's head, and on a server whose conditional deletes and updates are a
 * read followed by a write by `_id` (FerretDB, across connections), two settlers acting at once
 * could each pass the condition, and the later write would land on the row or head that the
 * record's next writer made in between. So a settler first inserts a lock named for the dead
 * claim: a unique insert is atomic on every server, so exactly one settler of a claim acts at a
 * time, and the others wait for it. A lock carries a lease: the lock of a settler that died is
 * passed on by inserting the next generation. Every query on locks lives in this file.
 */
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../../mongo/duplicate-key.js';

/** A settlement lock. */
interface LockDoc {
  /** `settle:<id>:<ov>:<claim token>:<generation>`. */
  _id: string;
  leaseUntil: Date;
}

/** A lock this process holds; {@link SettlementLocks.release} it when the settlement is done. */
export interface HeldLock {
  readonly keys: readonly string[];
  readonly leaseUntil: Date;
}

/** Access to one collection's settlement locks. */
export class SettlementLocks {
  private readonly coll: Collection<LockDoc>;

  constructor(db: Db, name: string) {
    this.coll = db.collection<LockDoc>(name);
  }

  /**
   * Takes the lock on settling `claim` of `(id, ov)`, or returns null while another settler holds
   * it. A lock whose lease plus `skewMs` has passed at `now` belongs to a settler taken as dead:
   * the next generation is taken instead (at most a few, each a unique insert).
   */
  async take(id: string, ov: number, claim: string, now: Date, leaseMs: number, skewMs: number): Promise<HeldLock | null> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const keys: string[] = [];
    for (let generation = 1; generation <= 64; generation += 1) {
      const key = `settle:${id}:${ov}:${claim}:${generation}`;
      keys.push(key);
      try {
        await this.coll.insertOne({ _id: key, leaseUntil });
        return { keys, leaseUntil };
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
      }
      const held = await this.coll.findOne({ _id: key });
      // Released meanwhile: whoever held it has finished; try this generation again next time.
      if (!held) return null;
      if (held.leaseUntil.getTime() + skewMs >= now.getTime()) return null;
    }
    return null;
  }

  /**
   * Removes a lock after its settlement finished. A settler that read the claim before and takes
   * the lock afterwards finds the row or head already changed, so its conditional steps match
   * nothing.
   */
  async release(lock: HeldLock): Promise<void> {
    await this.coll.deleteMany({ _id: { $in: [...lock.keys] } });
  }
}
