/**
 * Step 3 of a write: claim `(id, ov)` by inserting the version row `pending`, with a cv drawn
 * from the process's block (no round trip on almost every write). The unique `(id, ov)` index
 * makes exactly one writer the holder of a version; what the others learn from the holder they
 * collided with decides what happens next (see `write-protocol.md`).
 */
import { ConflictError, DatabaseError, NotFoundError } from '../errors.js';
import type { Engine } from './engine.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import type { HeadDoc } from './store/head-store.js';
import type { VersionRow } from './store/version-store.js';
import { isCommitted } from './store/version-store.js';
import { pickSystem } from './stored-state.js';
import { holderIsDead } from './claim-lease.js';
import { settleClaim } from './settle-claim.js';
import { startRetries } from '../retry/policy.js';
import { CLAIM_RESETTLES } from '../retry/schedules.js';


/**
 * Inserts the pending row for `row.id`/`row.ov` with a fresh cv above `above` and a lease, and
 * returns it as claimed (the caller starts its lease, then runs the `claimed` fault step). A
 * holder already there:
 * - our own row (a retried insert whose first reply was lost): claimed;
 * - a hard-delete tombstone, or an erasure still running: NotFoundError, the record is erased
 *   (only another erasure treats a running one as a conflict, and resumes it);
 * - a committed version: ConflictError with the current ov;
 * - a pending claim of a dead writer: settled (rolled forward or back), then claimed again; a
 *   writer that wins the version after rolling a claim back removes what that claim left under
 *   the version's prefix before it writes its own payload;
 * - a pending claim of a live writer: ConflictError (a writer without `expectedOv` retries).
 * A duplicate `cv` (a counter behind after a non-atomic `$inc`) re-syncs the counter and draws again.
 */
export async function claimVersion(engine: Engine, row: VersionRow, above: number): Promise<VersionRow> {
  const { id, ov } = row;
  let rolledBack = false;
  const tries = startRetries(CLAIM_RESETTLES);
  for (;;) {
    const cv = await engine.retry(`drawing a cv for ${engine.ctx.collection}`, () => engine.cvs.draw(above));
    const claimed: VersionRow = { ...row, cv, leaseUntil: new Date(engine.now().getTime() + engine.leaseMs) };
    let won = false;
    try {
      await engine.retry(`claiming ${engine.ctx.collection}/${id} v${ov}`, () => engine.ver.claim(claimed));
      won = true;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    const holder = won ? claimed : await engine.retry(`reading the claim on ${id} v${ov}`, () => engine.ver.row(id, ov));
    if (holder?.claim === claimed.claim) {
      // We hold the version now: what a claim we rolled back left under its prefix is ours to remove.
      if (rolledBack) await engine.retry(`removing what a rolled-back write left under ${id} v${ov}`, () => engine.payloads.deleteVersion(id, ov));
      return claimed;
    }
    if (!holder) {
      if (!(await tries.next())) throw new DatabaseError(`could not draw a free cv in ${engine.ctx.collection} after ${tries.failures} tries`);
      await engine.retry(`re-syncing the cv counter of ${engine.ctx.collection}`, () => engine.cvs.resync());
      continue;
    }
    if (erasedBy(holder, row)) throw new NotFoundError(`record ${id} in ${engine.ctx.collection} was deleted permanently; its id cannot be written again`);
    const head = await engine.retry(`reading the head of ${id}`, () => engine.heads.get(id));
    if (holder.state === 'pending' && !isCommitted(holder, head) && holderIsDead(engine, holder)) {
      if ((await settleClaim(engine, holder, head)) === 'rolled-back') rolledBack = true;
      if (await tries.next()) continue;
    }
    throw await conflictWith(engine, holder, head);
  }
}

/**
 * True when `holder` says the record is erased for the writer of `row`: a finished erasure's
 * tombstone, or one still running (an erasure always finishes, never rolls back). A second
 * erasure of the same record meets the first one's pending claim as an ordinary conflict and
 * resumes it instead.
 */
function erasedBy(holder: VersionRow, row: VersionRow): boolean {
  if (holder.kind !== 'hard-delete') return false;
  return holder.state === 'committed' || row.kind !== 'hard-delete';
}

/**
 * The ConflictError for a lost claim. When the winner's row is marked committed but the head is
 * still behind it (left by the old two-step commit), move the head first, so the next attempt
 * succeeds without waiting for reconcile.
 */
async function conflictWith(engine: Engine, holder: VersionRow, head: HeadDoc | null): Promise<ConflictError> {
  let current = head?.ov ?? -1;
  if (holder.state === 'committed' && current < holder.ov) {
    await engine.heads.advanceTo(holder.id, pickSystem(holder), holder.meta);
    current = holder.ov;
  }
  return new ConflictError(
    isCommitted(holder, head) || holder.state === 'committed'
      ? `record ${holder.id} is at version ${current}, not ${holder.ov - 1}: re-read it and retry with expectedOv ${current}`
      : `version ${holder.ov} of record ${holder.id} is being written by another writer: re-read it and retry`,
    current,
    holder.ov - 1,
  );
}
