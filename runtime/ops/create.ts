/**
 * `create`: a new record with a fresh ObjectId id, version 0.
 */
import type { Engine } from './engine.js';
import type { CreateOptions, CreateResult } from './types.js';
import { checkData, checkNote, newId } from './input-validation.js';
import { checkLineage, resolveLineage } from './lineage.js';
import { writeVersion } from './write-version.js';

/**
 * Creates a record: validates everything first (a ValidationError leaves nothing behind), then
 * writes version 0 by the write protocol. Lineage: see `lineage.ts`.
 */
export async function createRecord(
  engine: Engine,
  data: unknown,
  actor?: string,
  reason?: string,
  options?: CreateOptions,
): Promise<CreateResult> {
  const clean = checkData(data, engine.ctx.settings);
  const lineageOptions = checkLineage(options);
  const notes = { actor: checkNote(actor, 'actor'), reason: checkNote(reason, 'reason') };
  const id = newId();
  await engine.step('validated', 'create', id, 0);
  const lineage = await resolveLineage(engine, lineageOptions);
  const written = await writeVersion(engine, {
    kind: 'create',
    id,
    head: null,
    data: clean,
    system: (at) => ({ ...lineage, insertedAt: at, deletedAt: null, deleted: false, functionIds: [] }),
    ...definedNotes(notes),
  });
  return { id, ov: written.ov, cv: written.cv, createdAt: written.at.toISOString() };
}

/** Drops undefined actor/reason so rows do not carry empty fields. */
export function definedNotes(notes: { actor: string | undefined; reason: string | undefined }): { actor?: string; reason?: string } {
  return {
    ...(notes.actor !== undefined ? { actor: notes.actor } : {}),
    ...(notes.reason !== undefined ? { reason: notes.reason } : {}),
  };
}
