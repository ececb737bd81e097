/**
 * The write protocol: how one new version of a record becomes visible without transactions and
 * without ever letting two writers share a payload key. Every write path (create, update, delete,
 * enrich, restore) goes through {@link writeVersion}; `write-protocol.md` beside this file
 * explains the order, what a crash after each step leaves and how `reconcileCollection` repairs it.
 *
 * 1. validate (callers, before anything here);
 * 2. read the head (callers) and decide `ov = head.ov + 1`;
 * 3. draw a `cv`;
 * 4. claim `(id, ov)` by inserting a `pending` row (unique index): the loser gets a
 *    ConflictError and has written nothing;
 * 5. write the payload under `v<ov>/` — only the claim holder ever writes there;
 * 6. commit: mark the row committed (only if still pending under our token) and move the head
 *    (compare-and-set on ov);
 * 7. tell observers.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, StorageError, isChronosError } from '../errors.js';
import type { Engine } from './engine.js';
import { InjectedCrash } from './engine.js';
import { isDuplicateKey } from './head-store.js';
import type { HeadDoc } from './head-store.js';
import type { StoredSystem } from './stored-state.js';
import { nextVersionTime, pickSystem, toSystemFields } from './stored-state.js';
import type { VersionKind, VersionRow } from './version-index.js';
import { extractMeta } from './meta.js';
import type { WriteKind } from './write-event.js';
import { notifyObservers } from './notify.js';
import { shadowFor } from './dev-shadow.js';

/** One version to write. */
export interface VersionInput {
  kind: VersionKind;
  id: string;
  /** The head this version builds on; null for a create. */
  head: HeadDoc | null;
  /** The system state of the new version except ov, cv and updatedAt, which the protocol sets; `at` is given to the builder. */
  system: (at: Date) => Omit<StoredSystem, 'ov' | 'cv' | 'updatedAt'>;
  /** The application data of the new version (base64 props inline). */
  data: Record<string, unknown>;
  actor?: string;
  reason?: string;
  /** Recorded on the version row: see `WriteOptions.opId`. */
  opId?: string;
}

/** What a committed write reports. */
export interface WrittenVersion {
  id: string;
  ov: number;
  cv: number;
  at: Date;
  state: StoredSystem;
}

const EVENT_KIND: Record<VersionKind, WriteKind> = {
  create: 'CREATE',
  update: 'UPDATE',
  enrich: 'UPDATE',
  restore: 'UPDATE',
  delete: 'DELETE',
  'hard-delete': 'DELETE',
  reap: 'DELETE',
};

/** Writes one version by the protocol above; throws ConflictError when another writer has `ov`. */
export async function writeVersion(engine: Engine, input: VersionInput): Promise<WrittenVersion> {
  const { id, kind } = input;
  const ov = input.head ? input.head.ov + 1 : 0;
  const at = nextVersionTime(engine.now(), input.head?.updatedAt);
  const meta = extractMeta(input.data, engine.ctx.settings);
  const started = engine.now().getTime();
  const partial = input.system(at);
  const row = await claimVersion(engine, {
    ...partial,
    id,
    ov,
    cv: 0,
    updatedAt: at,
    at,
    state: 'pending',
    claim: randomUUID(),
    claimedAt: engine.now(),
    kind,
    meta,
    ...(input.actor !== undefined ? { actor: input.actor } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(input.opId !== undefined ? { opId: input.opId } : {}),
  });
  const state = pickSystem(row);
  try {
    checkLease(engine, started, id, ov);
    const json = await engine.payloads.write(id, toSystemFields(state), input.data).catch((e: unknown) => {
      throw isChronosError(e) ? e : new StorageError(`writing the payload of ${id} v${ov} failed: ${String(e)}`, { cause: e, transient: true });
    });
    await engine.step('payload-written', kind, id, ov);
    checkLease(engine, started, id, ov);
    const commit = await engine.commit();
    const shadow = shadowFor(engine.ctx.settings.devShadow, ov, json, engine.now());
    if (!(await commit({ id, claim: row.claim, state, meta, op: kind, ...(shadow ? { shadow } : {}) })) && !(await rolledForwardForUs(engine, row))) {
      const head = await engine.heads.get(id);
      throw new ConflictError(`the claim on ${id} v${ov} was rolled back by reconcile before it committed: retry`, head?.ov ?? -1);
    }
    await engine.step('head-moved', kind, id, ov);
  } catch (e) {
    if (!(e instanceof InjectedCrash)) await rollbackOwnClaim(engine, row);
    throw e;
  }
  if (!engine.ctx.settings.versioning) await pruneOlderVersions(engine, id, ov);
  await notifyObservers(engine, { kind: EVENT_KIND[kind], id, ov, cv: row.cv, at, meta, data: input.data });
  return { id, ov, cv: row.cv, at, state };
}

/**
 * Draws a cv and inserts the pending row. A duplicate `(id, ov)` means another writer holds this
 * version: ConflictError. A duplicate `cv` means the counter was behind (a non-atomic `$inc`):
 * re-sync and draw again.
 */
export async function claimVersion(engine: Engine, row: VersionRow): Promise<VersionRow> {
  await engine.ready();
  for (let attempt = 0; ; attempt += 1) {
    const cv = await engine.cvs.next();
    await engine.step('cv-allocated', row.kind, row.id, row.ov);
    const claimed = { ...row, cv };
    try {
      await engine.ver.claim(claimed);
      await engine.step('claimed', row.kind, row.id, row.ov);
      return claimed;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const holder = await engine.ver.row(row.id, row.ov);
      if (holder?.state === 'pending' && holder.abandoned) {
        // Its writer gave up without cleaning up: settle the claim now, then claim again.
        await releaseClaim(engine, holder);
        continue;
      }
      if (holder) throw await conflictOn(engine, row.id, holder);
      if (attempt >= 8) throw e;
      await engine.cvs.resync();
    }
  }
}

/**
 * The ConflictError for a lost claim. When the winner's row is committed but the head is still
 * behind it (its writer crashed between the two steps), move the head first: the next attempt
 * then succeeds without waiting for the reconciler.
 */
async function conflictOn(engine: Engine, id: string, holder: VersionRow): Promise<ConflictError> {
  let head = await engine.heads.get(id);
  if (holder.state === 'committed' && (head?.ov ?? -1) < holder.ov) {
    await engine.heads.moveTo(id, pickSystem(holder), holder.meta);
    head = await engine.heads.get(id);
  }
  const current = head?.ov ?? -1;
  return new ConflictError(
    holder.state === 'committed'
      ? `record ${id} is at version ${current}, not ${holder.ov - 1}: re-read it and retry with expectedOv ${current}`
      : `version ${holder.ov} of record ${id} is being written by another writer: re-read it and retry`,
    current,
    holder.ov - 1,
  );
}

/**
 * True when the reconciler found our complete payload and committed our claim for us (a slow
 * writer): the write did happen, so make sure the head is there and report success.
 */
async function rolledForwardForUs(engine: Engine, claimed: VersionRow): Promise<boolean> {
  const row = await engine.ver.row(claimed.id, claimed.ov);
  if (!row || row.state !== 'committed' || row.claim !== claimed.claim) return false;
  await engine.heads.moveTo(row.id, pickSystem(row), row.meta);
  return true;
}

/**
 * Gives up rather than write a payload or commit after the lease: past it the reconciler may roll
 * the claim back. Measured on the context clock (the process's own clock, so no cross-server skew).
 */
function checkLease(engine: Engine, started: number, id: string, ov: number): void {
  if (engine.now().getTime() - started > engine.leaseMs) {
    throw new StorageError(`the write of ${id} v${ov} took longer than its ${engine.leaseMs} ms lease; it was abandoned, retry`, { transient: true });
  }
}

/**
 * Undoes our own failed write while we still hold the claim: payload first (nobody else may
 * write under this prefix while the row exists), then the row. If this fails too, the reconciler
 * finishes it after the grace period.
 */
async function rollbackOwnClaim(engine: Engine, row: VersionRow): Promise<void> {
  try {
    const current = await engine.ver.row(row.id, row.ov);
    if (!current || current.state !== 'pending' || current.claim !== row.claim) return;
    await releaseClaim(engine, row);
  } catch {
    // Storage (or Mongo) is unreachable. Say so on the row: the next writer of this version may
    // then settle it at once; if even that fails, reconcileCollection repairs it after its grace.
    await engine.ver.abandon(row.id, row.ov, row.claim).catch(() => undefined);
  }
}

/** Removes what a claim may have written, then the claim itself. */
async function releaseClaim(engine: Engine, row: VersionRow): Promise<void> {
  await engine.payloads.deleteVersion(row.id, row.ov);
  await engine.ver.release(row.id, row.ov, row.claim);
}

/**
 * With versioning disabled only the newest version is kept: drop older rows, then their payloads
 * (a crash in between leaves only orphan payloads, which reconcile removes).
 */
async function pruneOlderVersions(engine: Engine, id: string, ov: number): Promise<void> {
  try {
    const older = (await engine.ver.history(id)).filter((r) => r.ov < ov);
    for (const r of older) {
      await engine.ver.coll.deleteOne({ id, ov: r.ov, state: 'committed' });
      await engine.payloads.deleteVersion(id, r.ov);
    }
  } catch {
    // Best effort: applyVersionRetention / reconcile finish it.
  }
}
