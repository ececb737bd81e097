/**
 * The lock two concurrent `chronos migrate` runs contend for, one per database: a document
 * inserted under a fixed `_id` (unique inserts are atomic on every server we support). It expires,
 * so a crashed deploy blocks the next one only until then.
 */
import { MongoServerError, type Db } from 'mongodb';

/** Collection holding the lock document. */
export const LOCK_COLLECTION = 'chronos_migrate_locks';
const LOCK_ID = 'migrate';

interface LockDocument {
  _id: string;
  owner: string;
  acquiredAt: Date;
  expiresAt: Date;
}

/** Outcome of {@link acquireMigrateLock}: held, or who holds it. */
export type LockOutcome = { acquired: true } | { acquired: false; holder: string };

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

async function tryInsert(db: Db, owner: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  try {
    await db.collection<LockDocument>(LOCK_COLLECTION).insertOne({ _id: LOCK_ID, owner, acquiredAt: now, expiresAt: new Date(now.getTime() + ttlMs) });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Takes the database's migrate lock for `owner`. An expired lock is removed first (a delete that
 * matches only while it is still expired, then the same unique insert), so of two runs taking
 * over a stale lock exactly one succeeds.
 */
export async function acquireMigrateLock(db: Db, owner: string, ttlMs: number): Promise<LockOutcome> {
  if (await tryInsert(db, owner, ttlMs)) return { acquired: true };
  const locks = db.collection<LockDocument>(LOCK_COLLECTION);
  const current = await locks.findOne({ _id: LOCK_ID });
  if (current && current.expiresAt.getTime() < Date.now()) {
    await locks.deleteOne({ _id: LOCK_ID, owner: current.owner, expiresAt: current.expiresAt });
    if (await tryInsert(db, owner, ttlMs)) return { acquired: true };
  }
  const holder = (await locks.findOne({ _id: LOCK_ID })) ?? current;
  return { acquired: false, holder: holder ? `${holder.owner} since ${holder.acquiredAt.toISOString()} (expires ${holder.expiresAt.toISOString()})` : 'another run' };
}

/** Pushes the expiry forward while a long migration is still working. */
export async function extendMigrateLock(db: Db, owner: string, ttlMs: number): Promise<void> {
  await db.collection<LockDocument>(LOCK_COLLECTION).updateOne({ _id: LOCK_ID, owner }, { $set: { expiresAt: new Date(Date.now() + ttlMs) } });
}

/** Releases the lock if `owner` still holds it. */
export async function releaseMigrateLock(db: Db, owner: string): Promise<void> {
  await db.collection<LockDocument>(LOCK_COLLECTION).deleteOne({ _id: LOCK_ID, owner });
}
