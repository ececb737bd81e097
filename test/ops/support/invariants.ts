/**
 * Checks of the engine's promises (docs/design.md, "Promises") on the raw collections and bucket of
 * one Chronos collection, without going through the engine's own read paths.
 */
import type { Fixture } from './fixture.js';
import { decodeItem } from '../../../runtime/ops/store/payload-codec.js';

/** What the raw state of a collection looks like. */
export interface Snapshot {
  heads: Array<{ _id: string; ov: number; cv: number; deleted: boolean }>;
  rows: Array<{ id: string; ov: number; cv: number; state: string; kind: string }>;
  keys: string[];
}

/** Reads heads, version rows and payload keys of `collection`. */
export async function snapshot(fx: Fixture, collection: string): Promise<Snapshot> {
  const heads = (await fx.db.collection(`${collection}_head`).find({}, { projection: { ov: 1, cv: 1, deleted: 1 } }).toArray()) as unknown as Snapshot['heads'];
  const rows = (await fx.db
    .collection(`${collection}_ver`)
    .find({}, { projection: { _id: 0, id: 1, ov: 1, cv: 1, state: 1, kind: 1 } })
    .toArray()) as unknown as Snapshot['rows'];
  return { heads, rows, keys: (await fx.keys(`${collection}/`)).sort() };
}

/**
 * The invariants a settled collection must satisfy; returns the violations (empty when none):
 * every head points at a row whose item.json exists and parses with the same id/ov; every row
 * is committed (at or below its head, or marked) and none marked committed lies beyond its head;
 * hard-delete tombstones are finished and have no head; every payload key belongs to a row.
 */
export async function violations(fx: Fixture, collection: string): Promise<string[]> {
  const { heads, rows, keys } = await snapshot(fx, collection);
  const out: string[] = [];
  const versions = rows.filter((r) => r.kind !== 'hard-delete');
  const rowSet = new Set(versions.map((r) => `${r.id}/${r.ov}`));
  for (const h of heads) {
    if (!versions.some((r) => r.id === h._id && r.ov === h.ov)) out.push(`head ${h._id} v${h.ov} has no version row`);
    try {
      const item = (await decodeItem(await fx.store.get(fx.bucket, `${collection}/${h._id}/v${h.ov}/item.json`))) as { _id: string; _system: { ov: number } };
      if (item._id !== h._id || item._system?.ov !== h.ov) out.push(`payload of ${h._id} v${h.ov} names another version`);
    } catch (e) {
      out.push(`payload of head ${h._id} v${h.ov} unreadable: ${String(e)}`);
    }
  }
  for (const r of rows) {
    const head = heads.find((h) => h._id === r.id);
    if (r.kind === 'hard-delete') {
      if (r.state !== 'committed') out.push(`hard delete of ${r.id} v${r.ov} is unfinished`);
      if (head) out.push(`erased record ${r.id} still has a head`);
      continue;
    }
    const reached = head !== undefined && r.ov <= head.ov;
    if (r.state !== 'committed' && !reached) out.push(`row ${r.id} v${r.ov} is pending beyond its head (${head?.ov ?? 'none'})`);
    else if (r.state === 'committed' && !reached) out.push(`committed row ${r.id} v${r.ov} is beyond its head (${head?.ov ?? 'none'})`);
  }
  for (const key of keys) {
    const m = /^[^/]+\/([^/]+)\/v(\d+)\//.exec(key);
    if (!m || !rowSet.has(`${m[1]}/${m[2]}`)) out.push(`payload ${key} has no version row`);
  }
  const cvs = rows.map((r) => r.cv);
  if (new Set(cvs).size !== cvs.length) out.push('duplicate cv');
  return out;
}
