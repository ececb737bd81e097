/**
 * `restoreObject`: append-only restore of one record to an earlier version.
 */
import { NotFoundError, ValidationError } from '../errors.js';
import type { Engine } from './engine.js';
import type { RestoreObjectTarget, UpdateResult } from './types.js';
import { checkId, checkNote, checkOv, checkTime } from './input-validation.js';
import { onHead } from './on-head.js';
import { versionAsOf } from './read.js';
import { writeVersion } from './write-version.js';
import type { WrittenVersion } from './write-version.js';
import { definedNotes } from './create.js';
import { pickSystem } from './stored-state.js';
import { needsUpgrade, readCurrentDataForWrite } from './current-data.js';
import { checkData } from './input-validation.js';
import type { HeadDoc } from './store/head-store.js';
import type { VersionRow } from './store/version-store.js';

/** Options of restoreObject beyond the chronos-db API's signature. */
export interface RestoreObjectOptions {
  /** Compare-and-set: restore only if the record is still at this version. */
  expectedOv?: number;
}

/** Checks a `{ ov }` / `{ at }` target. */
function checkObjectTarget(target: unknown): { ov: number } | { at: Date } {
  if (typeof target === 'object' && target !== null && 'ov' in target) return { ov: checkOv((target as { ov: unknown }).ov, ['target', 'ov']) };
  if (typeof target === 'object' && target !== null && 'at' in target) return { at: checkTime((target as { at: unknown }).at, ['target', 'at']) };
  throw ValidationError.at(['target'], 'expected { ov: number } or { at: ISO time or Date }');
}

/**
 * Restores a record to its state at a version or an instant by writing a new version equal to it
 * (nothing is rewritten; history only grows). Works on a logically deleted record (that is how
 * it is undeleted); restoring to a version that was itself a delete writes a deleted version.
 * NotFoundError when the record, or a version at the target, does not exist.
 */
export async function restoreObject(
  engine: Engine,
  id: string,
  target: RestoreObjectTarget,
  actor?: string,
  reason?: string,
  options: RestoreObjectOptions = {},
): Promise<UpdateResult> {
  checkId(id);
  const where = checkObjectTarget(target);
  if (options.expectedOv !== undefined) checkOv(options.expectedOv, 'expectedOv');
  const notes = definedNotes({ actor: checkNote(actor, 'actor'), reason: checkNote(reason, 'reason') });
  await engine.step('validated', 'restore', id, -1);
  const written = await onHead(engine, 'restore', id, options.expectedOv, 'allow', async (head) => {
    const row = 'ov' in where ? await engine.ver.committed(id, where.ov, head) : await versionAsOf(engine, id, where.at, head);
    if (!row) {
      throw new NotFoundError(`record ${id} has no version ${'ov' in where ? where.ov : `at or before ${where.at.toISOString()}`} to restore`);
    }
    return restoreOnto(engine, head, row, notes);
  });
  return { id, ov: written.ov, cv: written.cv, updatedAt: written.at.toISOString() };
}

/**
 * Writes a version on top of `head` equal to the version `row` (data, deletion state,
 * functionIds, lineage); its row records `restoredFrom: row.ov`. The data of a version written
 * under an older declaration revision is brought to the current one and validated, so the
 * restored version is valid today.
 */
export async function restoreOnto(engine: Engine, head: HeadDoc, row: VersionRow, notes: { actor?: string; reason?: string }): Promise<WrittenVersion> {
  const current = await readCurrentDataForWrite(engine, head._id, row);
  // Upcast data passes every check a write makes (required indexed props, sizes) before it is stored again.
  const data = needsUpgrade(engine, row) ? checkData(current, engine.ctx.settings) : current;
  return writeVersion(engine, {
    kind: 'restore',
    id: head._id,
    head,
    data,
    system: () => ({ ...pickSystem(row), insertedAt: head.insertedAt }),
    restoredFrom: row.ov,
    ...notes,
  });
}
