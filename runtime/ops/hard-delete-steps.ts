/**
 * The steps of a hard delete, shared by `delete` (collections with `logicalDelete` off), GDPR
 * erasure (`chronos.admin.hardDelete`) and the repairs that finish a crashed one. A hard delete
 * is a claimed version (`kind: 'hard-delete'`), so no other write interleaves with it.
 *
 * The claim row stays as a **tombstone** (marked committed, no data: no meta, no actor or reason
 * text), and so does every older row (stripped of what described the record), with a tombstone
 * at version 0 if that row was pruned: a writer that read the record at any version before the
 * erasure then fails its claim (NotFoundError) instead of bringing the record back, and the id
 * cannot be created again. Tombstones are never readable versions.
 */
import type { Engine } from './engine.js';
import { pendingRow } from './version-row.js';
import type { HeadDoc } from './store/head-store.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import type { VersionRow } from './store/version-store.js';
import { nextVersionTime, pickSystem } from './stored-state.js';
import { ConflictError } from '../errors.js';
import { isCommitted } from './store/version-store.js';
import { holderIsDead } from './claim-lease.js';
import { settleClaim } from './settle-claim.js';
import { startRetries } from '../retry/policy.js';
import { claimsBelowErasure } from '../retry/schedules.js';

/** The pending claim row of a hard delete of `head` (no data of the record in it beyond ids and times). */
export function hardDeleteClaim(engine: Engine, head: HeadDoc, opId?: string): VersionRow {
  const at = nextVersionTime(engine.now(), head.updatedAt);
  return pendingRow(engine, {
    id: head._id,
    system: { ...pickSystem(head), ov: head.ov + 1, cv: 0, updatedAt: at, deleted: true, deletedAt: at },
    at,
    kind: 'hard-delete',
    opId,
  });
}

/**
 * Completes a claimed hard delete; safe to run again after a crash at any point. The head goes
 * first (reads return null from here), then every older row becomes a tombstone (no slot of the
 * record is free again, so no writer that read it before can land a version), then the payloads.
 */
export async function finishHardDelete(engine: Engine, row: VersionRow): Promise<void> {
  await settleClaimsBelow(engine, row);
  await engine.heads.removeBelow(row.id, row.ov);
  await engine.step('head-removed', 'hard-delete', row.id, row.ov);
  await engine.ver.eraseBelow(row.id, row.ov);
  await engine.step('rows-erased', 'hard-delete', row.id, row.ov);
  await engine.payloads.deletePrefix(engine.payloads.recordPrefix(row.id));
  await engine.step('payloads-removed', 'hard-delete', row.id, row.ov);
  await engine.ver.markCommitted(row.id, row.ov, row.claim);
}

/**
 * Waits until no other claim below the hard delete's is pending: a create still in flight under
 * a caller-chosen id (its commit inserts the head, which no tombstone could stop), or a writer
 * that claimed a version freed by retention. Claims of dead writers are settled; live ones are
 * waited for (they finish in a lease or less). New ones cannot appear meanwhile: version 0 and
 * the hard delete's own version are taken, and a writer reaches a version in between only from a
 * head it read earlier. Gives up with a ConflictError after the write budget; the hard delete's
 * claim stays and the next call (or reconcile) resumes it.
 */
async function settleClaimsBelow(engine: Engine, row: VersionRow): Promise<void> {
  const tries = startRetries(claimsBelowErasure(engine.writeBudgetMs), engine.clock);
  for (;;) {
    // Taken again each round: settling a dead create at version 0 frees it.
    if (row.ov > 0) await placeZeroTombstone(engine, row);
    const open = (await engine.ver.allOf(row.id)).filter((r) => r.ov < row.ov && r.state === 'pending' && r.kind !== 'hard-delete');
    const head = open.length > 0 ? await engine.heads.get(row.id) : null;
    const live = open.filter((r) => !isCommitted(r, head) && !holderIsDead(engine, r));
    for (const r of open) if (!isCommitted(r, head) && holderIsDead(engine, r)) await settleClaim(engine, r, head);
    if (live.length === 0) return;
    if (!(await tries.next())) {
      throw new ConflictError(`record ${row.id} in ${engine.ctx.collection} has a write in flight (version ${live[0]?.ov}); the deletion resumes when called again`, head?.ov ?? -1, head?.ov ?? -1);
    }
  }
}

/** Takes version 0 of an erased id when no row holds it (pruned), so a create with that id fails its claim. */
async function placeZeroTombstone(engine: Engine, row: VersionRow): Promise<void> {
  try {
    await engine.ver.claim({ ...row, ov: 0, cv: await engine.cvs.draw(), state: 'committed', claim: `${row.claim}-0` });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}
