/**
 * The write protocol: how one new version of a record becomes visible without transactions and
 * without ever letting two writers share a payload key, in the same three sequential round trips
 * a hand-written versioned store needs (row insert, PUT, head write; plus the head read of an
 * update). Every write path (create, update, delete, enrich, restore) goes through
 * {@link writeVersion}; `write-protocol.md` beside this file explains the order, what a crash
 * after each step leaves and how it is settled.
 *
 * 1. validate and read the head (callers) and decide `ov = head.ov + 1`;
 * 2. draw a `cv` from the process's block (no round trip on almost every write);
 * 3. claim `(id, ov)` by inserting the `pending` version row (unique index), with a lease;
 * 4. write the payload under `v<ov>/`: only the claim holder ever writes there;
 * 5. commit by moving the head to the new version (the row is committed from then on);
 * 6. tell observers.
 */
import { ConflictError, DatabaseError, NotFoundError, WriteOutcomeUnknownError, isChronosError } from '../errors.js';
import type { ChronosError } from '../errors.js';
import type { Engine } from './engine.js';
import { pendingRow } from './version-row.js';
import { InjectedCrash } from './engine.js';
import type { HeadDoc } from './store/head-store.js';
import { HeadGoneError, HeadMovedError, headMoveFailure } from './store/head-store.js';
import type { StoredSystem } from './stored-state.js';
import { nextVersionTime, pickSystem, toSystemFields } from './stored-state.js';
import type { VersionKind, VersionRow } from './store/version-store.js';
import { isCommitted } from './store/version-store.js';
import { extractMeta } from './meta.js';
import type { WriteKind } from './write-event.js';
import { notifyObservers } from './notify.js';
import { shadowFor } from './dev-shadow.js';
import { claimVersion } from './claim-version.js';
import { LeaseLostError, holdLease } from './claim-lease.js';
import type { ClaimLease } from './claim-lease.js';
import { asChronosError } from '../error-boundary.js';
import { toStorageError } from '../storage/storage-errors.js';

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
  /** Recorded on the version row: see `WriteOptions.opId`. One is generated when absent. */
  opId?: string;
  /** For a restore: the ov whose state this version copies (recorded on the version row). */
  restoredFrom?: number;
  /**
   * The declaration revision `data` is shaped by, when it is not the current one: a logical
   * delete copies the previous payload unchanged, so it keeps that payload's revision.
   */
  revision?: number;
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
  await engine.retry(`creating the indexes of ${engine.ctx.collection}`, () => engine.ready());
  const row = await claimVersion(engine, newRow(engine, input, ov, at, meta), input.head?.cv ?? 0);
  const state = pickSystem(row);
  const lease = holdLease(engine, row);
  try {
    await engine.step('claimed', kind, id, ov);
    const json = await writePayload(engine, row, state, input.data, lease);
    await commit(engine, row, state, meta, json, lease);
  } finally {
    lease.stop();
  }
  if (!engine.ctx.settings.versioning) await pruneOlderVersions(engine, id, ov);
  await notifyObservers(engine, { kind: EVENT_KIND[kind], id, ov, cv: row.cv, at, meta, data: input.data, previousMeta: input.head?.meta ?? null });
  return { id, ov, cv: row.cv, at, state };
}

function newRow(engine: Engine, input: VersionInput, ov: number, at: Date, meta: Record<string, unknown>): VersionRow {
  // The system state a builder copies from an older version carries that version's revision: replaced here.
  const { revision: _copied, ...system } = input.system(at);
  const revision = input.revision ?? engine.ctx.settings.revision;
  return pendingRow(engine, {
    id: input.id,
    system: { ...system, ...(revision !== undefined && { revision }), ov, cv: 0, updatedAt: at },
    at,
    kind: input.kind,
    meta,
    opId: input.opId,
    actor: input.actor,
    reason: input.reason,
    restoredFrom: input.restoredFrom,
  });
}

/**
 * Step 4: blobs, then item.json (retried while transient: a PUT of the same bytes is
 * idempotent). On failure the claim is given up so nothing of this write becomes visible, except
 * when the lease ran out after a PUT was sent: a settler may then be rolling that very version
 * forward (the PUT may have landed), so the writer touches nothing and reports the outcome unknown.
 */
async function writePayload(engine: Engine, row: VersionRow, state: StoredSystem, data: Record<string, unknown>, lease: ClaimLease): Promise<string> {
  let sent = false;
  try {
    const json = await engine.retry(`writing the payload of ${engine.ctx.collection}/${row.id} v${row.ov}`, async () => {
      lease.check('writing the payload');
      sent = true;
      return engine.payloads.write(row.id, toSystemFields(state), data, row.claim).catch((e: unknown) => {
        throw toStorageError(e, `writing the payload of ${row.id} v${row.ov}`);
      });
    });
    await engine.step('payload-written', row.kind, row.id, row.ov);
    return json;
  } catch (e) {
    if (e instanceof InjectedCrash) throw e;
    // A PUT that failed only after outlasting the lease (its retries given up) counts as well.
    const lost = e instanceof LeaseLostError ? e : lapsed(lease, 'giving up the payload');
    if (sent && lost?.reason === 'expired') {
      throw new WriteOutcomeUnknownError(
        `writing the payload of ${engine.ctx.collection}/${row.id} v${row.ov} outlasted its lease (${lost.message}); the version is settled by the next write of this record or admin.reconcile(): check getVersion(${row.id}, ${row.ov}) or look for opId ${row.opId} in history(${row.id})`,
        { id: row.id, ov: row.ov, opId: row.opId as string, cause: e },
      );
    }
    throw await giveUp(engine, row, e);
  }
}

/** The lease's error when it has run out or been settled by now, else undefined. */
function lapsed(lease: ClaimLease, what: string): LeaseLostError | undefined {
  try {
    lease.check(what);
    return undefined;
  } catch (e) {
    return e instanceof LeaseLostError ? e : undefined;
  }
}

/**
 * Step 5: move the head. The payload is complete by now, so from here the write is never rolled
 * back: if the head cannot be moved, the version is rolled forward later (by the next writer of
 * the record or reconcile), and the caller learns that the outcome is pending.
 */
async function commit(engine: Engine, row: VersionRow, state: StoredSystem, meta: Record<string, unknown>, json: string, lease: ClaimLease): Promise<void> {
  const { id, ov } = row;
  try {
    await lease.confirm('moving the head');
    const shadow = shadowFor(engine.ctx.settings.devShadow, ov, json, engine.now());
    await engine.retry(`moving the head of ${engine.ctx.collection}/${id} to v${ov}`, () => engine.heads.commit(id, state, meta, shadow));
  } catch (e) {
    if (e instanceof InjectedCrash) throw e;
    const failure = headMoveFailure(e);
    if (failure instanceof HeadGoneError) {
      throw await giveUp(engine, row, new NotFoundError(`record ${id} in ${engine.ctx.collection} was deleted permanently while this write was in flight; nothing was written`, { cause: e }));
    }
    if (failure instanceof HeadMovedError) {
      const conflict = new ConflictError(
        `record ${id} moved to version ${failure.currentOv} while this write built version ${ov} on an older read: re-read it and retry`,
        failure.currentOv,
        ov - 1,
      );
      throw await giveUp(engine, row, conflict);
    }
    // Past the lease a settler may already have rolled this version forward and the record's
    // next writer moved on: only a compare-and-set move is safe now, and only while the row is ours.
    if (e instanceof LeaseLostError && e.reason === 'expired') await advanceIfStillOurs(engine, row, state, meta);
    if (await committedForUs(engine, row)) return;
    if (e instanceof LeaseLostError && e.reason === 'settled') throw new ConflictError(e.message, -1, ov - 1);
    throw new WriteOutcomeUnknownError(
      `the payload of ${engine.ctx.collection}/${id} v${ov} is written but the head could not be moved (${errorText(e)}); ` +
        `the version becomes visible when the next write of this record or admin.reconcile() rolls it forward: check getVersion(${id}, ${ov}) or look for opId ${row.opId} in history(${id})`,
      { id, ov, opId: row.opId as string, cause: e },
    );
  }
  await engine.step('head-moved', row.kind, id, ov);
}

async function advanceIfStillOurs(engine: Engine, row: VersionRow, state: StoredSystem, meta: Record<string, unknown>): Promise<void> {
  try {
    const current = await engine.ver.row(row.id, row.ov);
    if (current?.claim === row.claim) await engine.heads.advanceTo(row.id, state, meta);
  } catch {
    // Unreachable: the version stays pending and is rolled forward later.
  }
}

/**
 * True when our version is committed after all: a settler rolled it forward for us while we were
 * slow, or our head write landed although its reply was lost.
 */
async function committedForUs(engine: Engine, row: VersionRow): Promise<boolean> {
  try {
    const [current, head] = await Promise.all([engine.ver.row(row.id, row.ov), engine.heads.get(row.id)]);
    return current?.claim === row.claim && isCommitted(current, head);
  } catch {
    return false;
  }
}

/**
 * Undoes our own failed write while we still hold the claim: payload first (nobody else may
 * write under this prefix while the row exists), then the row. The caller's error is returned,
 * as a {@link ChronosError}. If the undo fails too, the row is marked abandoned (its next writer
 * then settles it at once, by rolling it back); if even that fails, the outcome is unknown.
 */
export async function giveUp(engine: Engine, row: VersionRow, cause: unknown): Promise<ChronosError> {
  const error = cause instanceof LeaseLostError ? leaseError(row, cause) : asChronosError(cause, `writing ${engine.ctx.collection}/${row.id} v${row.ov}`);
  try {
    const current = await engine.ver.row(row.id, row.ov);
    if (!current || current.claim !== row.claim) return error;
    await engine.payloads.deleteVersion(row.id, row.ov);
    await engine.ver.release(row.id, row.ov, row.claim);
    return error;
  } catch {
    try {
      await engine.ver.abandon(row.id, row.ov, row.claim);
      return error;
    } catch (e) {
      return new WriteOutcomeUnknownError(
        `writing ${engine.ctx.collection}/${row.id} v${row.ov} failed (${errorText(cause)}) and its claim could not be released (${errorText(e)}): ` +
          `check getVersion(${row.id}, ${row.ov}) or look for opId ${row.opId} in history(${row.id})`,
        { id: row.id, ov: row.ov, opId: row.opId as string, cause },
      );
    }
  }
}

/** A lost claim is a conflict (retry on the new head); a lease that ran out is a transient database failure. */
function leaseError(row: VersionRow, e: LeaseLostError): ChronosError {
  if (e.reason === 'settled') return new ConflictError(e.message, -1, row.ov - 1);
  return new DatabaseError(e.message, { cause: e, transient: true });
}

function errorText(e: unknown): string {
  return isChronosError(e) || e instanceof Error ? e.message : String(e);
}

/**
 * With versioning disabled only the newest version is kept: drop older rows, then their payloads
 * (a crash in between leaves only orphan payloads, which reconcile removes).
 */
async function pruneOlderVersions(engine: Engine, id: string, ov: number): Promise<void> {
  try {
    const older = (await engine.ver.allOf(id)).filter((r) => r.ov < ov && r.kind !== 'hard-delete');
    for (const r of older) {
      await engine.ver.removeVersion(id, r.ov);
      await engine.payloads.deleteVersion(id, r.ov);
    }
  } catch {
    // Best effort: applyVersionRetention / reconcile finish it.
  }
}
