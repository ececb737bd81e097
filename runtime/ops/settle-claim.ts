/**
 * Settling the pending claim of a writer known to be dead (its lease ran out, or it said it gave
 * up): roll its version forward when its own payload is complete and it continues the head, else
 * roll it back. The next writer of the record does this before claiming the same version, and
 * reconcile does it for every such claim, so a crashed writer blocks its record for seconds,
 * not until someone runs a repair.
 *
 * Of the settlers that find one dead claim, only the one holding its settlement lock acts
 * (`store/settlement-locks.ts`: conditional writes are not atomic across connections on every
 * server). A settler never holds the claim it settles, so it never deletes a payload: every step is a
 * conditional write on the row or the head (release only while the dead claim still holds the
 * row, mark committed only that claim, move the head only forward). Two settlers racing each
 * other, or a settler acting on a stale read after the record's next writer has already re-claimed
 * the version and written its payload, therefore change nothing that a later claim owns. What a
 * rolled-back claim left under `v<ov>/` is removed by whoever holds that version next: the
 * writer that re-claims it, or reconcile's orphan reaper under a claim of its own.
 */
import type { Engine } from './engine.js';
import type { HeadDoc } from './store/head-store.js';
import type { VersionRow } from './store/version-store.js';
import { pickSystem } from './stored-state.js';
import { notifyObservers } from './notify.js';
import { finishHardDelete } from './hard-delete-steps.js';

/** What settling did; `in-progress` when another settler holds the claim's settlement lock (nothing done here). */
export type Settlement = 'rolled-forward' | 'rolled-back' | 'hard-delete-finished' | 'in-progress';

/**
 * Settles `holder` (pending, writer dead). `head` is the record's head as just read.
 * Abandoned claims are always rolled back: their writer reported the write as failed. Only the
 * holder of the claim's settlement lock acts (`store/settlement-locks.ts`); the others get
 * `in-progress` and retry later.
 */
export async function settleClaim(engine: Engine, holder: VersionRow, head: HeadDoc | null): Promise<Settlement> {
  const lock = await engine.retry(`locking the settlement of ${holder.id} v${holder.ov}`, () =>
    engine.locks.take(holder.id, holder.ov, holder.claim, engine.now(), engine.leaseMs, engine.clockSkewMs),
  );
  if (!lock) return 'in-progress';
  try {
    return await settleLocked(engine, holder, head);
  } finally {
    await engine.locks.release(lock).catch(() => undefined);
  }
}

async function settleLocked(engine: Engine, holder: VersionRow, head: HeadDoc | null): Promise<Settlement> {
  if (holder.kind === 'hard-delete') {
    await finishHardDelete(engine, holder);
    return 'hard-delete-finished';
  }
  const continuesHead = holder.kind !== 'reap' && holder.ov === (head?.ov ?? -1) + 1;
  if (!holder.abandoned && continuesHead && (await engine.payloads.isComplete(holder.id, holder.ov, holder))) {
    if (await engine.heads.advanceTo(holder.id, pickSystem(holder), holder.meta)) {
      const data = await engine.payloads.readData(holder.id, holder.ov);
      const kind = holder.kind === 'create' ? 'CREATE' : holder.kind === 'delete' ? 'DELETE' : 'UPDATE';
      await notifyObservers(engine, { kind, id: holder.id, ov: holder.ov, cv: holder.cv, at: holder.at, meta: holder.meta, data, previousMeta: holder.ov === 0 ? null : (head?.meta ?? null) });
    }
    await engine.ver.markCommitted(holder.id, holder.ov, holder.claim);
    return 'rolled-forward';
  }
  await engine.ver.release(holder.id, holder.ov, holder.claim);
  return 'rolled-back';
}
