/**
 * `create`: a new record with a fresh ObjectId id (or the caller's `options.id`), version 0.
 */
import { ConflictError } from '../errors.js';
import type { Engine } from './engine.js';
import type { CreateOptions, CreateResult } from './types.js';
import { checkData, checkId, checkNote, checkOpId, newId } from './input-validation.js';
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
  const tag = checkOpId(options?.opId);
  const id = options?.id === undefined ? newId() : checkId(options.id, ['options', 'id']);
  await engine.step('validated', 'create', id, 0);
  // A given id may exist already; the (id, 0) claim catches a racing creator, this catches a
  // record whose version 0 was pruned (versioning off).
  if (options?.id !== undefined) {
    const head = await engine.heads.get(id);
    if (head) throw new ConflictError(`record ${id} already exists (version ${head.ov}): create it with another id`, head.ov);
  }
  const lineage = await resolveLineage(engine, lineageOptions);
  const written = await writeVersion(engine, {
    kind: 'create',
    id,
    head: null,
    data: clean,
    system: (at) => ({ ...lineage, insertedAt: at, deletedAt: null, deleted: false, functionIds: [] }),
    ...definedNotes(notes),
    ...tag,
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
