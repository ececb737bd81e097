/**
 * `delete`: logical by default (a new version marked deleted, history kept), hard when the
 * collection's `logicalDelete` is off (every version's rows and payloads removed).
 */
import type { Engine } from './engine.js';
import type { DeleteResult, WriteOptions } from './types.js';
import { checkId, checkNote, checkOpId, checkOv } from './input-validation.js';
import { onHead } from './on-head.js';
import { writeVersion } from './write-version.js';
import { revisionOf } from './current-data.js';
import { claimVersion } from './claim-version.js';
import { holdLease } from './claim-lease.js';
import { finishHardDelete, hardDeleteClaim } from './hard-delete-steps.js';
import type { WrittenVersion } from './write-version.js';
import { definedNotes } from './create.js';
import { pickSystem } from './stored-state.js';
import type { HeadDoc } from './store/head-store.js';
import { notifyObservers } from './notify.js';

/**
 * Deletes a record. Logical: the new version keeps the data (so time travel and restore see it)
 * with `_system.deleted = true` and `deletedAt` set; getLatest then returns null unless
 * `includeDeleted`. Deleting a deleted record is refused with NotFoundError.
 */
export async function deleteRecord(
  engine: Engine,
  id: string,
  expectedOv?: number,
  actor?: string,
  reason?: string,
  options?: WriteOptions,
): Promise<DeleteResult> {
  checkId(id);
  if (expectedOv !== undefined) checkOv(expectedOv, 'expectedOv');
  const notes = { ...definedNotes({ actor: checkNote(actor, 'actor'), reason: checkNote(reason, 'reason') }), ...checkOpId(options?.opId) };
  await engine.step('validated', 'delete', id, -1);
  if (!engine.ctx.settings.logicalDelete) {
    return onHead(engine, 'delete', id, expectedOv, 'allow', (head) => hardDelete(engine, head, notes));
  }
  const written = await onHead(engine, 'delete', id, expectedOv, 'refuse', (head) => logicalDelete(engine, head, notes));
  return { id, ov: written.ov, cv: written.cv, deletedAt: written.at.toISOString() };
}

/** Writes a logical-delete version on top of `head`: the same data, marked deleted. Also used by restoreCollection. */
export async function logicalDelete(engine: Engine, head: HeadDoc, notes: { actor?: string; reason?: string; opId?: string }): Promise<WrittenVersion> {
  const data = await engine.payloads.readData(head._id, head.ov);
  return writeVersion(engine, {
    kind: 'delete',
    id: head._id,
    head,
    data,
    system: (at) => ({ ...pickSystem(head), deletedAt: at, deleted: true }),
    // The payload is copied as it is, so it keeps the revision it was written under.
    ...(engine.ctx.settings.revision !== undefined && { revision: revisionOf(head) }),
    ...notes,
  });
}

/**
 * Hard delete, as a claimed version so no other write can interleave: claim `head.ov + 1`
 * (kind `hard-delete`), remove the head (the visible step: reads now return null), then every
 * payload, then every other row; the claim stays as a tombstone (`hard-delete-steps.ts`). A
 * crash leaves the pending claim, and the next writer or reconcile finishes the deletion.
 */
async function hardDelete(engine: Engine, head: HeadDoc, notes: { actor?: string; reason?: string; opId?: string }): Promise<DeleteResult> {
  const row = await claimVersion(engine, hardDeleteClaim(engine, head, notes.opId), head.cv);
  const lease = holdLease(engine, row);
  try {
    await engine.step('claimed', 'hard-delete', row.id, row.ov);
    await finishHardDelete(engine, row);
  } finally {
    lease.stop();
  }
  await notifyObservers(engine, { kind: 'DELETE', id: row.id, ov: row.ov, cv: row.cv, at: row.at, meta: head.meta, data: {}, previousMeta: head.meta });
  return { id: row.id, ov: row.ov, cv: row.cv, deletedAt: row.at.toISOString(), hard: true };
}
