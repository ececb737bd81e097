/**
 * Settling the pending claim of a writer known to be dead (its lease ran out, or it said it gave
 * up): roll its version forward when the payload is complete and it continues the head, else
 * roll it back. The next writer of the record does this before claiming the same version, and
 * reconcile does it for every such claim, so a crashed writer blocks its record for seconds,
 * not until someone runs a repair. Every step is conditional on what it found, so two settlers
 * racing each other, or a settler racing the record's next writer, change nothing twice.
 */
import type { Engine } from './engine.js';
import type { HeadDoc } from './store/head-store.js';
import type { VersionRow } from './store/version-index.js';
import { pickSystem } from './stored-state.js';
import { notifyObservers } from './notify.js';
import { finishHardDelete } from './hard-delete-steps.js';

/** What settling did. */
export type Settlement = 'rolled-forward' | 'rolled-back' | 'hard-delete-finished';

/**
 * Settles `holder` (pending, writer dead). `head` is the record's head as just read.
 * Abandoned claims are always rolled back: their writer reported the write as failed.
 */
export async function settleClaim(engine: Engine, holder: VersionRow, head: HeadDoc | null): Promise<Settlement> {
  if (holder.kind === 'hard-delete') {
    await finishHardDelete(engine, holder);
    return 'hard-delete-finished';
  }
  const continuesHead = holder.kind !== 'reap' && holder.ov === (head?.ov ?? -1) + 1;
  if (!holder.abandoned && continuesHead && (await engine.payloads.isComplete(holder.id, holder.ov))) {
    if (await engine.heads.advanceTo(holder.id, pickSystem(holder), holder.meta)) {
      const data = await engine.payloads.readData(holder.id, holder.ov);
      const kind = holder.kind === 'create' ? 'CREATE' : holder.kind === 'delete' ? 'DELETE' : 'UPDATE';
      await notifyObservers(engine, { kind, id: holder.id, ov: holder.ov, cv: holder.cv, at: holder.at, meta: holder.meta, data, previousMeta: holder.ov === 0 ? null : (head?.meta ?? null) });
    }
    await engine.ver.markCommitted(holder.id, holder.ov, holder.claim);
    return 'rolled-forward';
  }
  // The row still holds (id, ov), so nobody else can be writing under this prefix: payload first, then the row.
  await engine.payloads.deleteVersion(holder.id, holder.ov);
  await engine.ver.release(holder.id, holder.ov, holder.claim);
  return 'rolled-back';
}
