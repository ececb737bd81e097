/**
 * The one builder of a new version row: every write, the batch create, the hard delete and
 * reconcile's reaper claim a version with {@link pendingRow}, so the claim token, its time, the
 * opId and the notes are set the same way everywhere.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from './engine.js';
import type { StoredSystem } from './stored-state.js';
import type { VersionKind, VersionRow } from './store/version-store.js';

/** What a new version row is made of; {@link pendingRow} adds the claim. */
export interface PendingRowFields {
  id: string;
  /** The version's system state: its ov, cv (0 until drawn), times, deletion state and revision. */
  system: StoredSystem;
  /** The version's time. */
  at: Date;
  kind: VersionKind;
  /** The version's indexed values; none by default. */
  meta?: Record<string, unknown>;
  /** The caller's operation id; without one, the claim token serves (unique, and already on the row). */
  opId?: string | undefined;
  actor?: string | undefined;
  reason?: string | undefined;
  /** On a restore: the ov whose state it copies. */
  restoredFrom?: number | undefined;
  /** Sets the writer's lease, for a claim inserted without `claimVersion` (which sets it itself). */
  leased?: boolean;
}

/** The system state of a record's first version at `at` (ov 0, cv not drawn yet). */
export function firstVersionSystem(at: Date): StoredSystem {
  return { ov: 0, cv: 0, insertedAt: at, updatedAt: at, deletedAt: null, deleted: false, functionIds: [] };
}

/** A pending row claiming version `fields.system.ov` of `fields.id` for this writer, claimed now. */
export function pendingRow(engine: Engine, fields: PendingRowFields): VersionRow {
  const claim = randomUUID();
  const claimedAt = engine.now();
  return {
    ...fields.system,
    id: fields.id,
    at: fields.at,
    state: 'pending',
    claim,
    claimedAt,
    ...(fields.leased && { leaseUntil: new Date(claimedAt.getTime() + engine.leaseMs) }),
    kind: fields.kind,
    meta: fields.meta ?? {},
    opId: fields.opId ?? claim,
    ...(fields.actor !== undefined && { actor: fields.actor }),
    ...(fields.reason !== undefined && { reason: fields.reason }),
    ...(fields.restoredFrom !== undefined && { restoredFrom: fields.restoredFrom }),
  };
}
