/**
 * Stored data in the collection's current declaration. A version is kept exactly as it was
 * written, tagged with the declaration revision it was written under; every read and every write
 * that builds on an older version brings its data to the current revision here (the
 * collection's upcasters, then its schema), never rewriting what is stored.
 */
import { UpcastError } from '../errors.js';
import type { Engine } from './engine.js';
import type { StoredSystem } from './stored-state.js';
import type { InlineOptions } from './store/payload-store.js';

/**
 * The revision a version's payload is shaped by. Versions written before revisions were
 * recorded carry none and count as revision 1, the first revision a lock file records.
 */
export function revisionOf(state: Pick<StoredSystem, 'revision'>): number {
  return state.revision ?? 1;
}

/** True when the data of `state` must pass through the collection's upgrade before use. */
export function needsUpgrade(engine: Engine, state: Pick<StoredSystem, 'revision'>): boolean {
  const { revision, upgrade } = engine.ctx.settings;
  return upgrade !== undefined && revision !== undefined && revisionOf(state) !== revision;
}

/**
 * `data`, read from the version `state` of `id`, in the current declaration. Data of the current
 * revision was validated by the same schema when it was written, so it is returned as it is:
 * only older versions pay for upcasting and parsing. Throws an UpcastError when it cannot be done.
 */
export function toCurrent(engine: Engine, id: string, state: Pick<StoredSystem, 'revision' | 'ov'>, data: Record<string, unknown>): Record<string, unknown> {
  const { upgrade } = engine.ctx.settings;
  if (!upgrade || !needsUpgrade(engine, state)) return data;
  return upgrade(data, revisionOf(state), { id, ov: state.ov });
}

/** Reads the application data of one version, in the current declaration. */
export async function readCurrentData(engine: Engine, id: string, state: Pick<StoredSystem, 'revision' | 'ov'>, options?: InlineOptions): Promise<Record<string, unknown>> {
  return toCurrent(engine, id, state, await engine.payloads.readData(id, state.ov, options));
}

/**
 * As {@link readCurrentData}, for a write that stores the result again (enrich, restore). A
 * version written under a newer revision than this process knows (a rolling deploy) is refused:
 * parsing it with the older schema would drop the fields it does not know, and storing that
 * would lose them.
 */
export async function readCurrentDataForWrite(engine: Engine, id: string, state: Pick<StoredSystem, 'revision' | 'ov'>): Promise<Record<string, unknown>> {
  const current = engine.ctx.settings.revision;
  const stored = revisionOf(state);
  if (current !== undefined && engine.ctx.settings.upgrade && stored > current) {
    throw new UpcastError({
      collection: engine.ctx.collection,
      id,
      ov: state.ov,
      revision: stored,
      targetRevision: current,
      issues: [{ path: [], message: `written under a newer declaration than this process runs (revision ${current}): deploy the new declaration before writing to it` }],
    });
  }
  return readCurrentData(engine, id, state);
}

/** The revision a version shows in `_system` and history: absent for a collection without a declaration. */
export function shownRevision(engine: Engine, state: Pick<StoredSystem, 'revision'>): number | undefined {
  return engine.ctx.settings.revision === undefined ? state.revision : revisionOf(state);
}
