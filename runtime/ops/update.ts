/**
 * `update`: replaces the application data of a record with a new version.
 */
import type { Engine } from './engine.js';
import type { UpdateResult, WriteOptions } from './types.js';
import { checkData, checkId, checkNote, checkOpId, checkOv } from './input-validation.js';
import { onHead } from './on-head.js';
import { writeVersion } from './write-version.js';
import { definedNotes } from './create.js';
import { pickSystem } from './stored-state.js';

/**
 * Replaces the application data (use enrich to merge). Lineage, insertedAt and functionIds carry
 * over. With `expectedOv` it is compare-and-set; without, it lands on whatever the latest version
 * is (retrying lost races). A logically deleted record is refused with NotFoundError: restore it
 * first.
 */
export async function updateRecord(
  engine: Engine,
  id: string,
  data: unknown,
  expectedOv?: number,
  actor?: string,
  reason?: string,
  options?: WriteOptions,
): Promise<UpdateResult> {
  checkId(id);
  const clean = checkData(data, engine.ctx.settings);
  if (expectedOv !== undefined) checkOv(expectedOv, 'expectedOv');
  const notes = { ...definedNotes({ actor: checkNote(actor, 'actor'), reason: checkNote(reason, 'reason') }), ...checkOpId(options?.opId) };
  await engine.step('validated', 'update', id, -1);
  const written = await onHead(engine, 'update', id, expectedOv, 'refuse', (head) =>
    writeVersion(engine, {
      kind: 'update',
      id,
      head,
      data: clean,
      system: () => ({ ...pickSystem(head), deletedAt: null, deleted: false }),
      ...notes,
    }),
  );
  return { id, ov: written.ov, cv: written.cv, updatedAt: written.at.toISOString() };
}
