/**
 * The last step of a write: mark the claimed row committed and move the head to it. Two small
 * strategies behind one call: where the server has multi-document transactions both happen in
 * one transaction (no window where the row is committed but the head is behind); elsewhere they
 * happen in order and the reconciler (or the next writer) advances a head left behind.
 */
import type { Db } from 'mongodb';
import type { WriteStep } from './context.js';
import type { HeadStore } from './head-store.js';
import type { StoredSystem } from './stored-state.js';
import type { VersionIndex } from './version-index.js';
import type { HeadShadow } from './dev-shadow.js';

/** What a commit needs to know. */
export interface CommitInput {
  id: string;
  claim: string;
  state: StoredSystem;
  meta: Record<string, unknown>;
  op: string;
  /** Dev shadow to store with the head, in the same update that moves it. */
  shadow?: HeadShadow;
}

/** Commits a claimed version; false when the claim is gone (rolled back by the reconciler), in which case nothing changed. */
export type CommitStrategy = (input: CommitInput) => Promise<boolean>;

/** Row then head, in two steps (works on every server; FerretDB, standalone MongoDB). */
export function protocolCommit(
  ver: VersionIndex,
  heads: HeadStore,
  step: (step: WriteStep, op: string, id: string, ov: number) => Promise<void>,
): CommitStrategy {
  return async ({ id, claim, state, meta, op, shadow }) => {
    if (!(await ver.commit(id, state.ov, claim))) return false;
    await step('row-committed', op, id, state.ov);
    await heads.moveTo(id, state, meta, undefined, shadow);
    return true;
  };
}

/** Row and head in one transaction (replica sets and sharded clusters of MongoDB). */
export function transactionCommit(db: Db, ver: VersionIndex, heads: HeadStore): CommitStrategy {
  return async ({ id, claim, state, meta, shadow }) => {
    const session = db.client.startSession();
    try {
      let committed = false;
      await session.withTransaction(async () => {
        committed = await ver.commit(id, state.ov, claim, session);
        if (!committed) {
          await session.abortTransaction();
          return;
        }
        await heads.moveTo(id, state, meta, session, shadow);
      });
      return committed;
    } finally {
      await session.endSession();
    }
  };
}

const detected = new WeakMap<Db, Promise<boolean>>();

/**
 * True when the server behind `db` runs multi-document transactions: a replica set member or a
 * mongos, and not FerretDB (which answers `hello` like MongoDB but refuses transactions).
 * Cached per `Db`.
 */
export function detectTransactions(db: Db): Promise<boolean> {
  let found = detected.get(db);
  if (!found) {
    found = (async () => {
      const admin = db.admin();
      const [hello, build] = await Promise.all([admin.command({ hello: 1 }), admin.command({ buildInfo: 1 })]);
      return supportsTransactions(hello, build);
    })();
    detected.set(db, found);
  }
  return found;
}

/** The decision of {@link detectTransactions} from the `hello` and `buildInfo` replies. */
export function supportsTransactions(hello: Record<string, unknown>, buildInfo: Record<string, unknown>): boolean {
  if ('ferretdbVersion' in buildInfo || 'ferretdb' in buildInfo) return false;
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}
