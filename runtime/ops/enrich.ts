/**
 * `enrich`: deep-merges one patch (or a batch of patches, applied in order as one version) into
 * the latest version of a record.
 */
import { isDeepStrictEqual } from 'node:util';
import { deepmergeCustom } from 'deepmerge-ts';
import { ValidationError } from '../errors.js';
import type { Engine } from './engine.js';
import type { EnrichOptions, UpdateResult } from './types.js';
import { checkData, checkFunctionId, checkId, checkNote, checkOpId, checkOv } from './input-validation.js';
import { isPlainObject } from '../validation/plain-object.js';
import { onHead } from './on-head.js';
import { writeVersion } from './write-version.js';
import { definedNotes } from './create.js';
import { pickSystem } from './stored-state.js';
import { readCurrentDataForWrite } from './current-data.js';

/** Objects merge, arrays union without duplicates (deep equality), scalars replace. */
const merge = deepmergeCustom({
  mergeArrays: (values) => {
    const out: unknown[] = [];
    for (const arr of values) {
      for (const item of arr) if (!out.some((seen) => isDeepStrictEqual(seen, item))) out.push(item);
    }
    return out;
  },
});

/** Merges patches into a document, left to right. */
export function mergePatches(base: Record<string, unknown>, patches: readonly Record<string, unknown>[]): Record<string, unknown> {
  return merge(base, ...patches) as Record<string, unknown>;
}

/**
 * Enriches a record: the merged result is a new version; `functionId` joins
 * `_system.functionIds` once. Concurrent enrichments are never lost: a lost race re-reads the
 * head and merges again (for up to the write budget, `writes.budgetMs`), unless `expectedOv` is given,
 * which makes it compare-and-set. A deleted record is refused.
 */
export async function enrichRecord(engine: Engine, id: string, patch: unknown, options: EnrichOptions = {}): Promise<UpdateResult> {
  checkId(id);
  const patches = Array.isArray(patch) ? patch : [patch];
  if (patches.length === 0) throw ValidationError.at(['patch'], 'expected a patch object or a non-empty array of them');
  const clean = patches.map((p, i) => {
    if (!isPlainObject(p)) throw ValidationError.at(['patch', i], 'expected a plain object');
    // Size and base64 checks of each patch here; the merged document is checked again below.
    return checkData(p, { ...engine.ctx.settings, requiredIndexed: [], validate: undefined }, Array.isArray(patch) ? ['patch', i] : 'patch');
  });
  if (options.expectedOv !== undefined) checkOv(options.expectedOv, 'expectedOv');
  const functionId = checkFunctionId(options.functionId);
  const notes = { ...definedNotes({ actor: checkNote(options.actor, 'actor'), reason: checkNote(options.reason, 'reason') }), ...checkOpId(options.opId) };
  await engine.step('validated', 'enrich', id, -1);
  const written = await onHead(engine, 'enrich', id, options.expectedOv, 'refuse', async (head) => {
    // Merged onto the latest version in today's declaration, so the result validates under it.
    const current = await readCurrentDataForWrite(engine, id, head);
    const merged = checkData(mergePatches(current, clean), engine.ctx.settings);
    const system = pickSystem(head);
    const functionIds = functionId && !system.functionIds.includes(functionId) ? [...system.functionIds, functionId] : system.functionIds;
    return writeVersion(engine, { kind: 'enrich', id, head, data: merged, system: () => ({ ...system, functionIds }), ...notes });
  });
  return { id, ov: written.ov, cv: written.cv, updatedAt: written.at.toISOString() };
}
