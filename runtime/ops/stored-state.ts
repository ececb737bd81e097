/**
 * The system state of one version as it is kept in Mongo, both on the head and on version rows,
 * and its conversion to the public `_system` shape.
 */
import type { SystemFields } from './types.js';

/** Lineage fields, set at creation and carried by every later version. */
export interface Lineage {
  parentId?: string;
  parentCollection?: string;
  originId?: string;
  originCollection?: string;
}

/** `_system` as stored: dates are BSON dates so they sort and range-filter correctly. */
export interface StoredSystem extends Lineage {
  ov: number;
  cv: number;
  insertedAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  deleted: boolean;
  functionIds: string[];
  /**
   * The declaration revision the stored payload is shaped by (see `docs/evolution.md`). Absent on
   * versions of collections without a declaration, and on versions written before revisions
   * were recorded (those read as revision 1).
   */
  revision?: number;
}

/** The public `_system` of a stored state: ISO strings, absent lineage fields left out. */
export function toSystemFields(s: StoredSystem): SystemFields {
  const out: SystemFields = {
    ov: s.ov,
    cv: s.cv,
    insertedAt: s.insertedAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    deletedAt: s.deletedAt ? s.deletedAt.toISOString() : null,
    deleted: s.deleted,
    functionIds: [...s.functionIds],
  };
  if (s.revision !== undefined) out.revision = s.revision;
  if (s.parentId !== undefined) out.parentId = s.parentId;
  if (s.parentCollection !== undefined) out.parentCollection = s.parentCollection;
  if (s.originId !== undefined) out.originId = s.originId;
  if (s.originCollection !== undefined) out.originCollection = s.originCollection;
  return out;
}

/** Copies just the {@link StoredSystem} fields out of a head or row document. */
export function pickSystem(doc: StoredSystem): StoredSystem {
  const out: StoredSystem = {
    ov: doc.ov,
    cv: doc.cv,
    insertedAt: doc.insertedAt,
    updatedAt: doc.updatedAt,
    deletedAt: doc.deletedAt ?? null,
    deleted: doc.deleted,
    functionIds: doc.functionIds ?? [],
  };
  if (typeof doc.revision === 'number') out.revision = doc.revision;
  for (const k of ['parentId', 'parentCollection', 'originId', 'originCollection'] as const) {
    if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  }
  return out;
}

/**
 * The time of a record's next version: the clock, but never at or before the previous version's
 * time, so one record's history is ordered even when app servers' clocks disagree.
 */
export function nextVersionTime(now: Date, previous: Date | undefined): Date {
  if (!previous) return now;
  return now.getTime() > previous.getTime() ? now : new Date(previous.getTime() + 1);
}
