/**
 * Replaying one queued write, idempotently: a replay never produces a second version of the
 * write, however many times it runs, whether an earlier attempt committed or not, and even when
 * two workers replay the same op at once.
 *
 * - create: the record's id was assigned before the first attempt and is fresh, so "the record
 *   exists" means "the create happened"; the engine's `(id, 0)` claim makes two replays meet.
 * - update / delete / enrich: the version the write produces carries the op's `opId`. A replay
 *   first looks for a committed version with it; if there is none it writes with
 *   compare-and-set on the head it just read (the caller's `expectedOv` when it gave one), so of
 *   two concurrent replays exactly one wins the next version and the other then finds its opId.
 */
import { isChronosError } from '../errors.js';
import type { ConflictError } from '../errors.js';
import type { EngineContext } from '../ops/context.js';
import { createCollectionOps } from '../ops/collection-ops.js';
import type { EngineCollectionOps } from '../ops/collection-ops.js';
import type { HeadStore } from '../ops/store/head-store.js';
import { isCommitted, type VersionStore } from '../ops/store/version-store.js';
import { versionedStores } from '../mongo/stores.js';
import type { QueuedWrite, ReplayOutcome } from './types.js';

/**
 * A replay that cannot run yet but may later: the next version of the record is claimed by a
 * write that has not finished (an abandoned claim waits for `reconcileCollection`), or the record
 * kept changing under the replay. The queue retries it with backoff, like a transient error.
 */
export class ReplayBlockedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayBlockedError';
  }
}

/** How often a replay without `expectedOv` re-reads the head after losing to another writer, within one attempt. */
const CAS_ROUNDS = 5;

interface Collections {
  heads: HeadStore;
  ver: VersionStore;
}

/**
 * Runs `write` (queued as op `opId`) against the routed context, unless it has already happened.
 * A write whose record was erased meanwhile is dropped (`erased`): a dead letter would keep the
 * erased record's data.
 */
export async function replayWrite(ctx: EngineContext, opId: string, write: QueuedWrite): Promise<ReplayOutcome> {
  const ops = createCollectionOps(ctx);
  const colls: Collections = versionedStores(ctx.db, ctx.collection);
  try {
    return await replayKind(ops, colls, opId, write);
  } catch (e) {
    if (isChronosError(e) && e.code === 'NOT_FOUND' && (await isErased(colls, write.id))) return 'erased';
    throw e;
  }
}

/** True when `id` is erased or being erased: its version 0 is a tombstone, or a hard delete holds a claim. */
async function isErased(colls: Collections, id: string): Promise<boolean> {
  const first = await colls.ver.row(id, 0);
  return first?.kind === 'hard-delete' || (await colls.ver.pendingHardDelete(id)) !== null;
}

async function replayKind(ops: EngineCollectionOps, colls: Collections, opId: string, write: QueuedWrite): Promise<ReplayOutcome> {
  switch (write.kind) {
    case 'create':
      return replayCreate(ops, opId, write);
    case 'update':
      return replayOnHead(colls, opId, write, (cas) => ops.update(write.id, write.data, cas, write.actor, write.reason, { opId }));
    case 'enrich':
      return replayOnHead(colls, opId, write, (cas) =>
        ops.enrich(write.id, write.patch, {
          expectedOv: cas,
          opId,
          ...(write.functionId !== undefined ? { functionId: write.functionId } : {}),
          ...(write.actor !== undefined ? { actor: write.actor } : {}),
          ...(write.reason !== undefined ? { reason: write.reason } : {}),
        }),
      );
    case 'delete':
      return replayOnHead(colls, opId, write, (cas) => ops.delete(write.id, cas, write.actor, write.reason, { opId }));
  }
}

async function replayCreate(ops: EngineCollectionOps, opId: string, write: Extract<QueuedWrite, { kind: 'create' }>): Promise<ReplayOutcome> {
  try {
    await ops.create(write.data, write.actor, write.reason, { ...write.lineage, id: write.id, opId });
    return 'applied';
  } catch (e) {
    if (!isConflict(e)) throw e;
    // currentOv -1: version 0 is claimed but not committed (our earlier attempt's claim, not yet rolled back or forward).
    if (e.currentOv >= 0) return 'already-applied';
    throw new ReplayBlockedError(`version 0 of ${write.id} is claimed by an unfinished write: retry after it settles`, { cause: e });
  }
}

async function replayOnHead(
  colls: Collections,
  opId: string,
  write: Exclude<QueuedWrite, { kind: 'create' }>,
  apply: (cas: number) => Promise<unknown>,
): Promise<ReplayOutcome> {
  let lastConflict: unknown;
  for (let round = 0; round < CAS_ROUNDS; round += 1) {
    if (await committedWith(colls, write.id, opId)) return 'already-applied';
    const head = await colls.heads.get(write.id);
    if (write.kind === 'delete' && (!head || head.deleted === true)) return 'already-absent';
    // A missing head makes the engine raise NotFoundError, which is permanent: let it.
    const cas = write.expectedOv ?? head?.ov ?? 0;
    try {
      await apply(cas);
      return 'applied';
    } catch (e) {
      if (write.kind === 'delete' && isChronosError(e) && e.code === 'NOT_FOUND') return 'already-absent';
      if (!isConflict(e)) throw e;
      if (await committedWith(colls, write.id, opId)) return 'already-applied';
      if (e.currentOv === cas) {
        throw new ReplayBlockedError(`version ${cas + 1} of ${write.id} is claimed by an unfinished write: retry after it settles`, { cause: e });
      }
      // Another writer moved the head: with the caller's expectedOv that is a lost compare-and-set, final.
      if (write.expectedOv !== undefined) throw e;
      lastConflict = e;
    }
  }
  throw new ReplayBlockedError(`record ${write.id} kept changing during the replay: retry`, { cause: lastConflict });
}

/**
 * True when a committed version carries `opId` (see `isCommitted`). An earlier attempt that died
 * with its payload complete is rolled forward by the engine's next write of the record, after
 * which this finds it.
 */
async function committedWith(colls: Collections, id: string, opId: string): Promise<boolean> {
  const row = await colls.ver.withOpId(id, opId);
  if (!row) return false;
  return isCommitted(row, await colls.heads.get(id));
}

function isConflict(e: unknown): e is ConflictError {
  return isChronosError(e) && e.code === 'CONFLICT';
}
