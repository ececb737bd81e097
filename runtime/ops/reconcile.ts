/**
 * `reconcileCollection`: finds what crashed or abandoned writes left behind and repairs it, so
 * every head points at a committed version whose payload exists and parses, no committed version
 * lies beyond its head, and no payload exists without a version row. See `write-protocol.md` for
 * the states a crash can leave and why each repair is safe next to live writers.
 */
import { ConflictError } from '../errors.js';
import type { EngineContext } from './context.js';
import { DEFAULT_GRACE_MS } from './context.js';
import { createEngine } from './engine.js';
import type { Engine } from './engine.js';
import type { HeadDoc } from './head-store.js';
import { pickSystem } from './stored-state.js';
import type { VersionRow } from './version-index.js';
import { finishHardDelete } from './delete.js';
import { claimVersion } from './write-version.js';
import { retainVersions } from './retention.js';
import { notifyObservers } from './notify.js';
import { randomUUID } from 'node:crypto';

/** Options of {@link reconcileCollection}. */
export interface ReconcileOptions {
  /**
   * Pending versions younger than this (ms since their claim) belong to writers that may still be
   * alive and are left alone; default {@link DEFAULT_GRACE_MS} (10 minutes). Must exceed the
   * writers' lease (default 60 s) plus the slowest payload upload.
   */
  graceMs?: number;
}

/** One version a repair touched. */
export interface VersionRef {
  id: string;
  ov: number;
}

/** What {@link reconcileCollection} repaired; every list is empty when there was nothing to do. */
export interface ReconcileReport {
  /** Pending versions whose payload was complete: committed and made the head. */
  rolledForward: VersionRef[];
  /** Pending versions without a complete payload: their payload and row removed. */
  rolledBack: VersionRef[];
  /** Hard deletes that had not finished: finished. */
  hardDeletesFinished: VersionRef[];
  /** Heads that were behind their newest committed version (or missing): moved to it. */
  headsAdvanced: Array<{ id: string; from: number; to: number }>;
  /** Payloads with no version row: removed. */
  orphansRemoved: VersionRef[];
  /** With versioning off: older versions a crashed write had not pruned. */
  versionsPruned: number;
}

/**
 * Repairs one collection, idempotently: a second run right after the first reports nothing.
 * Safe to run while the application writes (it only touches pending versions older than the
 * grace period, and removes orphan payloads only while holding their version's claim).
 */
export async function reconcileCollection(ctx: EngineContext, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const engine = createEngine(ctx);
  await engine.ready();
  const report: ReconcileReport = {
    rolledForward: [],
    rolledBack: [],
    hardDeletesFinished: [],
    headsAdvanced: [],
    orphansRemoved: [],
    versionsPruned: 0,
  };
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const deleting = await hardDeletesInProgress(engine);
  await advanceHeads(engine, deleting, report);
  await settlePending(engine, new Date(engine.now().getTime() - graceMs), report);
  await removeOrphans(engine, report);
  if (!ctx.settings.versioning) report.versionsPruned = (await retainVersions(engine, { maxPerItem: 1 })).versionsRemoved;
  return report;
}

async function hardDeletesInProgress(engine: Engine): Promise<Set<string>> {
  const rows = await engine.ver.coll.find({ state: 'pending', kind: 'hard-delete' }, { projection: { id: 1 } }).toArray();
  return new Set(rows.map((r) => r.id));
}

/** Moves every head that is behind (or missing) to its newest committed version. */
async function advanceHeads(engine: Engine, deleting: Set<string>, report: ReconcileReport): Promise<void> {
  const newest = new Map<string, VersionRow>();
  for await (const row of engine.ver.coll.find({ state: 'committed' })) {
    const seen = newest.get(row.id);
    if (!seen || seen.ov < row.ov) newest.set(row.id, row);
  }
  const ids = [...newest.keys()].filter((id) => !deleting.has(id));
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const heads = new Map<string, HeadDoc>();
    for (const h of await engine.heads.coll.find({ _id: { $in: batch } }, { projection: { ov: 1 } }).toArray()) heads.set(h._id, h);
    for (const id of batch) {
      const row = newest.get(id) as VersionRow;
      const from = heads.get(id)?.ov ?? -1;
      if (from >= row.ov) continue;
      if (await engine.heads.moveTo(id, pickSystem(row), row.meta)) report.headsAdvanced.push({ id, from, to: row.ov });
    }
  }
}

/** Rolls each stale pending version forward (payload complete and it continues the head) or back. */
async function settlePending(engine: Engine, before: Date, report: ReconcileReport): Promise<void> {
  // An abandoned claim (its writer gave up and said so) needs no grace period.
  const stale = await engine.ver.coll.find({ state: 'pending', $or: [{ claimedAt: { $lte: before } }, { abandoned: true }] }, { sort: { id: 1, ov: 1 } }).toArray();
  for (const row of stale) {
    const ref = { id: row.id, ov: row.ov };
    if (row.kind === 'hard-delete') {
      await finishHardDelete(engine, row);
      report.hardDeletesFinished.push(ref);
      continue;
    }
    const head = await engine.heads.get(row.id);
    const continuesHead = row.kind !== 'reap' && row.ov === (head?.ov ?? -1) + 1;
    if (continuesHead && (await engine.payloads.isComplete(row.id, row.ov))) {
      const commit = await engine.commit();
      if (await commit({ id: row.id, claim: row.claim, state: pickSystem(row), meta: row.meta, op: 'reconcile' })) {
        report.rolledForward.push(ref);
        const data = await engine.payloads.readData(row.id, row.ov);
        const kind = row.kind === 'create' ? 'CREATE' : row.kind === 'delete' ? 'DELETE' : 'UPDATE';
        await notifyObservers(engine, { kind, id: row.id, ov: row.ov, cv: row.cv, at: row.at, meta: row.meta, data });
      }
      continue;
    }
    // The row still holds (id, ov), so nobody else can be writing under this prefix: payload first, then the row.
    await engine.payloads.deleteVersion(row.id, row.ov);
    if (await engine.ver.release(row.id, row.ov, row.claim)) report.rolledBack.push(ref);
  }
}

/**
 * Removes payloads that have no version row. Each is removed under a `reap` claim on its
 * `(id, ov)`, so a writer that claims that version meanwhile is never robbed of its payload: one
 * of the two claims fails.
 */
async function removeOrphans(engine: Engine, report: ReconcileReport): Promise<void> {
  const found = new Map<string, VersionRef>();
  for (const key of await engine.payloads.listKeys(`${engine.ctx.collection}/`)) {
    const ref = engine.payloads.parseKey(key);
    if (ref) found.set(`${ref.id}/${ref.ov}`, ref);
  }
  const refs = [...found.values()];
  for (let i = 0; i < refs.length; i += 500) {
    const batch = refs.slice(i, i + 500);
    const ids = [...new Set(batch.map((r) => r.id))];
    const rows = await engine.ver.coll.find({ id: { $in: ids } }, { projection: { id: 1, ov: 1 } }).toArray();
    const known = new Set(rows.map((r) => `${r.id}/${r.ov}`));
    for (const ref of batch) {
      if (known.has(`${ref.id}/${ref.ov}`)) continue;
      if (await reap(engine, ref)) report.orphansRemoved.push(ref);
    }
  }
}

async function reap(engine: Engine, ref: VersionRef): Promise<boolean> {
  const now = engine.now();
  let row: VersionRow;
  try {
    row = await claimVersion(engine, {
      id: ref.id,
      ov: ref.ov,
      cv: 0,
      state: 'pending',
      claim: randomUUID(),
      claimedAt: now,
      at: now,
      kind: 'reap',
      meta: {},
      insertedAt: now,
      updatedAt: now,
      deletedAt: null,
      deleted: false,
      functionIds: [],
    });
  } catch (e) {
    if (e instanceof ConflictError) return false;
    throw e;
  }
  await engine.payloads.deleteVersion(ref.id, ref.ov);
  await engine.ver.release(ref.id, ref.ov, row.claim);
  return true;
}
