/**
 * The Mongo collections and indexes the engine needs for one Chronos collection. This is the
 * single source for the engine, `chronos migrate` and `chronos generate` (which print and apply
 * them). The engine does not wait for a migration: before a handle's first write it creates any
 * of these that are missing (once per process), because its correctness rests on the unique ones.
 *
 * Layout (per Chronos collection `c`, in the routed database):
 * - `c_head`: one document per record, `_id` = record id; `ov`, `cv`, `deleted`, the `_system`
 *   times, lineage, `functionIds`, and `meta.<prop>` for every indexed prop.
 * - `c_ver`: one row per version: `id`, `ov`, `cv`, `state` (`pending` | `committed`), `at`
 *   (= updatedAt), `claim`/`claimedAt`/`leaseUntil` (the writer's claim), `kind`, the `_system` state and
 *   `meta` of that version. The unique `(id, ov)` index is the write claim (see
 *   `write-protocol.md`); the unique `cv` index keeps collection versions unique.
 * - `c_counter`: the collection-version counter (`{ _id: 'cv', value }`).
 * - `c_locks`: settlement locks, one per dead claim being settled (`store/settlement-locks.ts`);
 *   looked up by `_id` only. The engine's claims live in `c_ver`.
 *
 * `test/ops/index-use.test.ts` records every query the engine sends and checks each against
 * these keys with `query-shape.ts` (FerretDB scans everything, so `explain` cannot show it).
 */

import type { IndexSpec } from '../mongo/index-spec.js';

export type { IndexKey, IndexSpec } from '../mongo/index-spec.js';

/** What the index set depends on besides the collection name. */
export interface IndexInputs {
  /** Indexed props (dot paths allowed); each gets `meta.<prop>` on the head. */
  indexedProps: readonly string[];
}

/** Suffixes of the Mongo collections that back one Chronos collection. */
export const COLLECTION_SUFFIXES = { head: '_head', ver: '_ver', counter: '_counter', locks: '_locks' } as const;

/** Index name for an indexed prop: stable, readable, within Mongo's name limits. */
function metaIndexName(prop: string): string {
  return `chronos_meta_${prop.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Every index the engine's queries need on collection `name`, in a deterministic order.
 * Query shapes served (equality prefix, then sort):
 * - getLatest, head compare-and-set: `c_head` by `_id` (built in).
 * - getVersion, claim commit/release, history (sort ov), hard delete, retention: `c_ver` `{ id, ov }`
 *   (unique: also the version claim).
 * - getAsOf: `c_ver` `{ id, at: -1 }`.
 * - cv re-sync (highest cv): `c_ver` `{ cv }` (unique).
 * - reconcile (pending / committed rows), restoreCollection by time: `c_ver` `{ state, at }`;
 *   restoreCollection by cv: `{ cv }`.
 * - listByMeta: on prop p `c_head` `{ meta.p, _id }`; default order `{ deleted, _id }`; by time
 *   `{ updatedAt, _id }` / `{ insertedAt, _id }`; a record's children (`_system.parentId`, as
 *   Chronos Studio lists them) `{ parentId, _id }`.
 */
export function requiredIndexes(name: string, inputs: IndexInputs): IndexSpec[] {
  const head = name + COLLECTION_SUFFIXES.head;
  const ver = name + COLLECTION_SUFFIXES.ver;
  const specs: IndexSpec[] = [
    { collection: ver, name: 'chronos_id_ov', key: { id: 1, ov: 1 }, unique: true },
    { collection: ver, name: 'chronos_cv', key: { cv: 1 }, unique: true },
    { collection: ver, name: 'chronos_id_at', key: { id: 1, at: -1 } },
    { collection: ver, name: 'chronos_state', key: { state: 1, at: 1 } },
    { collection: head, name: 'chronos_updated_at', key: { updatedAt: 1, _id: 1 } },
    { collection: head, name: 'chronos_inserted_at', key: { insertedAt: 1, _id: 1 } },
    { collection: head, name: 'chronos_deleted_id', key: { deleted: 1, _id: 1 } },
    { collection: head, name: 'chronos_parent_id', key: { parentId: 1, _id: 1 } },
  ];
  for (const prop of [...inputs.indexedProps].sort()) {
    specs.push({ collection: head, name: metaIndexName(prop), key: { [`meta.${prop}`]: 1, _id: 1 } });
  }
  return specs;
}
