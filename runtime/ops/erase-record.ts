/**
 * GDPR erasure of one record (`chronos.admin.hardDelete`): every version's payload objects, every
 * version row and the head, and the queued fallback writes and dead letters about it, leaving an
 * audit row that says it happened (never what the record held).
 *
 * It reuses the engine's hard-delete path (`finishHardDelete`): the erasure claims the next
 * version `(id, head.ov + 1)` with kind `hard-delete` exactly like a hard delete, so
 * - no writer can add a version meanwhile (its claim on that version fails; after the head is
 *   gone its retry finds no record: NotFoundError);
 * - a crash at any point leaves that pending claim, which a second call to hardDelete resumes at
 *   once and `reconcileCollection` finishes once the claim's lease has run out.
 *
 * Order: claim → audit row `started` (with the counts) → queued fallback ops and dead letters →
 * head, payloads, rows, claim (the engine's order) → audit row `completed`. Each step is
 * idempotent, and the audit row's `_id` is the claim token, so a resumed erasure finds its own row.
 * If reconcile finished the engine part, the audit row stays `started` until hardDelete is called
 * again for that id, which then only marks it completed.
 *
 * Counters are left as they are: totals are counts, not personal data, and `cnt_unique` holds
 * only truncated SHA-256 hashes of values, keyed by value rather than by record (another record
 * may share the value), so there is nothing of this record alone to remove without making unique
 * counts wrong.
 */
import { ConflictError, NotFoundError, isChronosError } from '../errors.js';
import { createEngine, type Engine } from './engine.js';
import { firstVersionSystem, pendingRow } from './version-row.js';
import type { EngineContext } from './context.js';
import { finishHardDelete } from './hard-delete-steps.js';
import { startRetries } from '../retry/policy.js';
import { claimContention } from '../retry/schedules.js';
import { checkId, checkNote } from './input-validation.js';
import { nextVersionTime, pickSystem } from './stored-state.js';
import type { StoredSystem } from './stored-state.js';
import { claimVersion } from './claim-version.js';
import { holdLease } from './claim-lease.js';
import type { VersionRow } from './store/version-store.js';
import type { ErasureAuditDoc, ErasureAuditStore } from './store/erasure-audit-store.js';
import type { FallbackQueueStore } from '../fallback/store/queue-store.js';
import { erasureAuditStore, fallbackQueueStore } from '../mongo/stores.js';

export { ERASURES_COLLECTION } from '../mongo/stores.js';
export type { ErasureAuditDoc } from './store/erasure-audit-store.js';

/** Who asked for an erasure and why; stored on the audit row (so it must not hold the record's data). */
export interface HardDeleteOptions {
  actor?: string;
  reason?: string;
}

/** What {@link hardDeleteRecord} (and `chronos.admin.hardDelete`) returns: the audit row as stored. */
export type HardDeleteReport = ErasureAuditDoc & { status: 'completed'; completedAt: Date };

/** Where the erasure finds the queue of this database and writes its audit row. */
export interface HardDeleteTargets {
  /** The fallback queue's dead-letter collection in `ctx.db` (the queue's own collection has a fixed name). */
  fallbackCollections: { deadLetters: string };
  /** Audit collection in `ctx.db`; default {@link ERASURES_COLLECTION}. */
  auditCollection?: string;
}

/**
 * Erases record `id` of the context's collection, whether `logicalDelete` is on or off, and
 * returns the completed audit row. Safe to call again after a crash part-way (it resumes the
 * same erasure) and after it completed (NotFoundError then, as for any unknown id).
 *
 * @throws NotFoundError when the database holds nothing of `id` (no head, no version, no payload)
 *   and no unfinished erasure of it.
 * @throws ConflictError when another writer kept the record's next version for every attempt
 *   (a write in flight): retry.
 */
export async function hardDeleteRecord(ctx: EngineContext, id: string, targets: HardDeleteTargets, options: HardDeleteOptions = {}): Promise<HardDeleteReport> {
  checkId(id);
  const notes = { actor: checkNote(options.actor, 'actor'), reason: checkNote(options.reason, 'reason') };
  const engine = createEngine({ ...ctx, observers: [] });
  await engine.ready();
  const audit = erasureAuditStore(ctx.db, targets.auditCollection);
  const queue = fallbackQueueStore(ctx.db, targets.fallbackCollections.deadLetters);
  let claim: VersionRow | null = await engine.ver.pendingHardDelete(id);
  if (!claim) {
    const unfinished = await audit.unfinished(ctx.collection, id);
    claim = await claimErasure(engine, id, notes, () => queue.holdsWritesAbout(ctx.collection, id));
    if (!claim) {
      // The engine part is done (reconcile finished it, or we crashed before the last step): close the audit row.
      if (unfinished) return complete(audit, unfinished._id);
      throw new NotFoundError(`no record ${id} in ${ctx.collection} of ${ctx.routeInfo.dbName}: nothing to erase`);
    }
  }
  const lease = holdLease(engine, claim);
  try {
    await engine.step('claimed', 'hard-delete', claim.id, claim.ov);
    await startAudit(engine, audit, claim, notes);
    await removeQueuedWrites(queue, ctx.collection, id, audit, claim.claim);
    await finishHardDelete(engine, claim);
  } finally {
    lease.stop();
  }
  return complete(audit, claim.claim);
}

/**
 * Claims the version after the newest one (like a write), or returns null when nothing of `id`
 * exists. Retries while a live writer holds that version, as a write without expectedOv does.
 */
async function claimErasure(engine: Engine, id: string, notes: HardDeleteOptions, queued: () => Promise<boolean>): Promise<VersionRow | null> {
  const tries = startRetries(claimContention(engine.writeBudgetMs), engine.clock);
  for (;;) {
    const head = await engine.heads.get(id);
    const newest = await engine.ver.newest(id);
    const keys = head ? [] : await payloadKeysOf(engine, id);
    const erased = newest?.kind === 'hard-delete' && newest.state === 'committed';
    // Writes still queued for the record (a create whose storage failed, say) count: left alone,
    // their replay would bring the record back after the erasure.
    if (!head && (!newest || erased) && keys.length === 0 && (erased || !(await queued()))) return null;
    // With a head, take the version a writer would take next; without one (leftovers of crashed
    // writes only), go past every row and payload so the claim cannot collide with them.
    const ov = head ? head.ov + 1 : Math.max(newest?.ov ?? -1, maxKeyOv(engine, keys)) + 1;
    const at = nextVersionTime(engine.now(), head?.updatedAt);
    const system: StoredSystem = head ? { ...pickSystem(head), ov, cv: 0, updatedAt: at } : { ...firstVersionSystem(at), ov };
    try {
      // The claim row lives until the erasure ends; it carries no indexed values of the record (no meta).
      const row = pendingRow(engine, { id, system: { ...system, deleted: true, deletedAt: at }, at, kind: 'hard-delete', actor: notes.actor, reason: notes.reason });
      return await claimVersion(engine, row, head?.cv ?? 0);
    } catch (e) {
      // The same pauses and budget as a writer that lost its claim (on-head.ts).
      if (!(e instanceof ConflictError) || !(await tries.next())) throw e;
    }
  }
}

/** The payload keys of `id`; none when the bucket does not exist yet (nothing was ever stored there). */
async function payloadKeysOf(engine: Engine, id: string): Promise<string[]> {
  try {
    return await engine.payloads.listKeys(engine.payloads.recordPrefix(id));
  } catch (e) {
    // Every adapter words a missing bucket (or container) this way (storage/*/…-errors.ts).
    if (isChronosError(e) && e.code === 'STORAGE_FAILED' && /does not exist; create it with ensureBucket/.test(e.message)) return [];
    throw e;
  }
}

function maxKeyOv(engine: Engine, keys: string[]): number {
  return Math.max(-1, ...keys.map((key) => engine.payloads.parseKey(key)?.ov ?? -1));
}

/** Inserts the `started` audit row with what is about to be removed; a resumed erasure keeps the first counts. */
async function startAudit(engine: Engine, audit: ErasureAuditStore, claim: VersionRow, notes: HardDeleteOptions): Promise<void> {
  if (await audit.exists(claim.claim)) return;
  const versionsRemoved = await engine.ver.countBelow(claim.id, claim.ov);
  const objectsRemoved = (await engine.payloads.listKeys(engine.payloads.recordPrefix(claim.id))).length;
  await audit.insert({
    _id: claim.claim,
    dbName: engine.ctx.routeInfo.dbName,
    collection: engine.ctx.collection,
    recordId: claim.id,
    ...(notes.actor !== undefined && { actor: notes.actor }),
    ...(notes.reason !== undefined && { reason: notes.reason }),
    requestedAt: claim.claimedAt,
    status: 'started',
    versionsRemoved,
    objectsRemoved,
    queuedOpsRemoved: 0,
    deadLettersRemoved: 0,
  });
}

/** Removes queued writes and dead letters about the record (they hold its data), adding what it removed to the audit row. */
async function removeQueuedWrites(queue: FallbackQueueStore, collection: string, id: string, audit: ErasureAuditStore, auditId: string): Promise<void> {
  const removed = await queue.removeWritesAbout(collection, id);
  if (removed.ops || removed.deadLetters) await audit.addQueuedRemoved(auditId, removed.ops, removed.deadLetters);
}

async function complete(audit: ErasureAuditStore, auditId: string): Promise<HardDeleteReport> {
  return (await audit.complete(auditId, new Date())) as HardDeleteReport;
}
