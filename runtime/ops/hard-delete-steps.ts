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
import { randomUUID } from 'node:crypto';
import type { Engine } from './engine.js';
import type { HeadDoc } from './store/head-store.js';
import { isDuplicateKeyError } from '../mongo/duplicate-key.js';
import type { VersionRow } from './store/version-index.js';
import { nextVersionTime, pickSystem } from './stored-state.js';

/** The pending claim row of a hard delete of `head` (no data of the record in it beyond ids and times). */
export function hardDeleteClaim(engine: Engine, head: HeadDoc, opId?: string): VersionRow {
  const at = nextVersionTime(engine.now(), head.updatedAt);
  return {
    ...pickSystem(head),
    id: head._id,
    ov: head.ov + 1,
    cv: 0,
    updatedAt: at,
    at,
    deleted: true,
    deletedAt: at,
    state: 'pending',
    claim: randomUUID(),
    claimedAt: engine.now(),
    kind: 'hard-delete',
    meta: {},
    ...(opId !== undefined ? { opId } : {}),
  };
}

/**
 * Completes a claimed hard delete; safe to run again after a crash at any point. The head goes
 * first (reads return null from here), then every older row becomes a tombstone (no slot of the
 * record is free again, so no writer that read it before can land a version), then the payloads.
 */
export async function finishHardDelete(engine: Engine, row: VersionRow): Promise<void> {
  await engine.heads.removeBelow(row.id, row.ov);
  await engine.step('head-removed', 'hard-delete', row.id, row.ov);
  await engine.ver.eraseBelow(row.id, row.ov);
  await engine.step('rows-erased', 'hard-delete', row.id, row.ov);
  await engine.payloads.deletePrefix(engine.payloads.recordPrefix(row.id));
  await engine.step('payloads-removed', 'hard-delete', row.id, row.ov);
  if (row.ov > 0) await placeZeroTombstone(engine, row);
  await engine.ver.markCommitted(row.id, row.ov, row.claim);
}

/** Takes version 0 of an erased id when no row holds it (pruned), so a create with that id fails its claim. */
async function placeZeroTombstone(engine: Engine, row: VersionRow): Promise<void> {
  try {
    await engine.ver.claim({ ...row, ov: 0, cv: await engine.cvs.draw(), state: 'committed', claim: `${row.claim}-0` });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
}
