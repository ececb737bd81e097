/**
 * Who replays a queued op: a lease taken by a unique insert, so two workers (two processes, two
 * connection pools) never replay the same op at the same time while its lease is live.
 *
 * Why a lease row and not `updateOne({ _id, lockedUntil: { $lt: now } })` on the op: on FerretDB
 * an update is read-modify-write and only atomic within one client whose pool has one
 * connection; two workers in two processes could both "win" it. A unique index is enforced
 * atomically on every server we support, so exactly one insert of a given `_id` succeeds.
 *
 * Leases of an op are numbered `<opId>#0`, `#1`, ...: a worker reads the newest, and when it is
 * released or expired inserts the next number. Numbers only grow while the op exists, so a
 * lease is never taken twice; a worker that died holding one blocks the op until it expires.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { isDuplicateKeyError } from '../../mongo/duplicate-key.js';

/** A lease row of `<queue collection>_leases`. */
export interface OpLease {
  _id: string;
  opId: string;
  n: number;
  /** Random token of the holder: only it releases the lease. */
  holder: string;
  /** After this (holder's clock) another worker may take the op over. */
  expiresAt: Date;
  released: boolean;
}

/** The lease rows of one queue. */
export class OpLeases {
  private readonly coll: Collection<OpLease>;

  constructor(
    db: Db,
    name: string,
    private readonly leaseMs: number,
    private readonly now: () => Date,
  ) {
    this.coll = db.collection<OpLease>(name);
  }

  /** Takes the op's next lease, or returns null when a live lease exists or another worker took the same number first. */
  async acquire(opId: string): Promise<OpLease | null> {
    const latest = await this.coll.findOne({ opId }, { sort: { n: -1 } });
    const now = this.now();
    if (latest && !latest.released && latest.expiresAt.getTime() > now.getTime()) return null;
    const n = (latest?.n ?? -1) + 1;
    const lease: OpLease = { _id: `${opId}#${n}`, opId, n, holder: randomUUID(), expiresAt: new Date(now.getTime() + this.leaseMs), released: false };
    try {
      await this.coll.insertOne(lease);
    } catch (e) {
      if (isDuplicateKeyError(e)) return null;
      throw e;
    }
    return lease;
  }

  /** Gives the lease back so the op's next replay need not wait for it to expire. */
  async release(lease: OpLease): Promise<void> {
    await this.coll.updateOne({ _id: lease._id, holder: lease.holder }, { $set: { released: true } });
  }

  /** Removes every lease of an op that has left the queue. */
  async clear(opId: string): Promise<void> {
    await this.coll.deleteMany({ opId });
  }
}
