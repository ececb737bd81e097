/**
 * `restoreCollection`: append-only restore of every record of a collection to its state at a
 * collection version or an instant.
 */
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, ValidationError } from '../errors.js';
import type { Engine } from './engine.js';
import { InjectedCrash } from './engine.js';
import type { RestoreCollectionResult, RestoreCollectionTarget } from './types.js';
import { checkCv, checkNote, checkTime } from './input-validation.js';
import { definedNotes } from './create.js';
import { logicalDelete } from './delete.js';
import { restoreOnto } from './restore-object.js';
import type { HeadDoc } from './store/head-store.js';
import type { VersionRow } from './store/version-store.js';
import { isCommitted } from './store/version-store.js';
import { readCurrentData } from './current-data.js';
import { startRetries } from '../retry/policy.js';
import { claimContention } from '../retry/schedules.js';

function checkCollectionTarget(target: unknown): { cv: number } | { at: Date } {
  if (typeof target === 'object' && target !== null && 'cv' in target) return { cv: checkCv((target as { cv: unknown }).cv, ['target', 'cv']) };
  if (typeof target === 'object' && target !== null && 'at' in target) return { at: checkTime((target as { at: unknown }).at, ['target', 'at']) };
  throw ValidationError.at(['target'], 'expected { cv: number } or { at: ISO time or Date }');
}

/** For each record, the newest version committed at the target (by cv or by time). */
async function versionsAtTarget(engine: Engine, where: { cv: number } | { at: Date }): Promise<Map<string, VersionRow>> {
  const candidates: VersionRow[] = [];
  for await (const row of engine.ver.upTo(where)) candidates.push(row);
  const heads = new Map<string, number>();
  const ids = [...new Set(candidates.map((r) => r.id))];
  for (let i = 0; i < ids.length; i += 500) {
    for (const [id, ov] of await engine.heads.versionsOf(ids.slice(i, i + 500))) heads.set(id, ov);
  }
  const latest = new Map<string, VersionRow>();
  for (const row of candidates) {
    const headOv = heads.get(row.id);
    if (!isCommitted(row, headOv === undefined ? null : { ov: headOv })) continue;
    const seen = latest.get(row.id);
    if (!seen || seen.ov < row.ov) latest.set(row.id, row);
  }
  return latest;
}

/**
 * Brings every record back to its state at `target`, by writing new versions (history only
 * grows): a record changed since gets a version equal to its version at the target; a record
 * created after the target gets a logical-delete version (whatever `logicalDelete` says, since a
 * restore never erases history); a record already in its target state (same deletion state and
 * same data, e.g. after an earlier restore) is left alone, so running it twice changes nothing.
 * Hard-deleted records cannot come back.
 *
 * The target state is the committed versions with `cv <= target.cv` (or time `<= target.at`)
 * when the restore reads the history. A write still in flight then (its row pending) is not part
 * of it even if its cv is lower: cv is drawn before the payload is written, so a slow writer can
 * commit a low cv after higher ones. Such a write either lands before the restore reaches its
 * record (the restore then writes on top of it) or loses its claim to the restore (conflict, and
 * it is retried by its caller). Once every write with `cv <= target` has settled — at most the
 * lease of a writer that died — the same target always gives the same state.
 *
 * Concurrent writes to a record being restored are retried with the pauses and budget of a
 * writer that lost its claim (`claimContention`, the engine's write budget);
 * a record that still fails is reported in `failed` and the rest go on.
 */
export async function restoreCollection(
  engine: Engine,
  target: RestoreCollectionTarget,
  actor?: string,
  reason?: string,
): Promise<RestoreCollectionResult> {
  const where = checkCollectionTarget(target);
  const notes = definedNotes({ actor: checkNote(actor, 'actor'), reason: checkNote(reason, 'reason') });
  const atTarget = await versionsAtTarget(engine, where);
  const result: Required<RestoreCollectionResult> = { restored: 0, deleted: 0, unchanged: 0, failed: [] };
  for await (const first of engine.heads.all()) {
    try {
      result[await restoreRecord(engine, first, atTarget.get(first._id), notes)] += 1;
    } catch (e) {
      if (e instanceof InjectedCrash) throw e;
      result.failed.push({ id: first._id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return result.failed.length > 0 ? result : { restored: result.restored, deleted: result.deleted, unchanged: result.unchanged };
}

/** True when the head already equals the target version: same version, or same deletion state and same data (e.g. after an earlier restore). */
async function sameState(engine: Engine, head: HeadDoc, target: VersionRow): Promise<boolean> {
  if (head.ov === target.ov) return true;
  if (head.deleted !== target.deleted) return false;
  if (head.deleted) return true;
  const [now, then] = await Promise.all([readCurrentData(engine, head._id, head), readCurrentData(engine, head._id, target)]);
  return isDeepStrictEqual(now, then);
}

async function restoreRecord(
  engine: Engine,
  first: HeadDoc,
  targetRow: VersionRow | undefined,
  notes: { actor?: string; reason?: string },
): Promise<'restored' | 'deleted' | 'unchanged'> {
  let head: HeadDoc | null = first;
  const tries = startRetries(claimContention(engine.writeBudgetMs), engine.clock);
  for (;;) {
    if (!head) return 'unchanged';
    await engine.step('head-read', 'restore', head._id, head.ov);
    try {
      if (!targetRow) {
        if (head.deleted) return 'unchanged';
        await logicalDelete(engine, head, notes);
        return 'deleted';
      }
      if (await sameState(engine, head, targetRow)) return 'unchanged';
      await restoreOnto(engine, head, targetRow, notes);
      return 'restored';
    } catch (e) {
      if (!(e instanceof ConflictError) || !(await tries.next())) throw e;
      head = await engine.heads.get(head._id);
    }
  }
}

