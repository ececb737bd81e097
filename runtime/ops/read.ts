/**
 * The read operations: latest version (one head lookup, whatever the history length), one
 * version by number, the version current at an instant, and the list of versions.
 */
import { StorageError, ValidationError, isChronosError } from '../errors.js';
import type { Engine } from './engine.js';
import type { ChronosRecord, ReadOptions, VersionInfo } from './types.js';
import { checkId, checkOv, checkTime } from './input-validation.js';
import type { StoredSystem } from './stored-state.js';
import { toSystemFields } from './stored-state.js';
import type { StoredItem } from './store/payload-store.js';
import { usableShadow } from './dev-shadow.js';
import { isCommitted } from './store/version-store.js';
import type { VersionRow } from './store/version-store.js';
import type { HeadDoc } from './store/head-store.js';
import { serverProfile } from '../mongo/server-profile.js';
import { shownRevision, toCurrent } from './current-data.js';

/** Checks read options; throws ValidationError naming the bad one. */
export function checkReadOptions(options: ReadOptions | undefined): ReadOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw ValidationError.at(['options'], 'expected an options object');
  const { ttlSeconds, projection, raw } = options;
  if (raw !== undefined && typeof raw !== 'boolean') throw ValidationError.at(['options', 'raw'], 'expected true or false');
  if (ttlSeconds !== undefined && (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 604_800)) {
    throw ValidationError.at(['options', 'ttlSeconds'], 'expected whole seconds between 1 and 604800 (7 days)');
  }
  if (projection !== undefined && (!Array.isArray(projection) || projection.some((p) => typeof p !== 'string'))) {
    throw ValidationError.at(['options', 'projection'], 'expected an array of top-level prop names');
  }
  return options;
}

/**
 * A record as callers see it: application data at the top level, `_id`, and `_system`.
 * Reads the payload of `state.ov`, brought to the current declaration unless `raw`
 * (`current-data.ts`); `projection` keeps only the named top-level props.
 */
export async function loadRecord(engine: Engine, id: string, state: StoredSystem, options: ReadOptions, shadowJson?: string): Promise<ChronosRecord> {
  const inline = {
    ...(options.presign !== undefined ? { presign: options.presign } : {}),
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
  };
  let data = shadowJson !== undefined
    ? await engine.payloads.inlineBlobs(id, state.ov, JSON.parse(shadowJson) as StoredItem, inline)
    : await engine.payloads.readData(id, state.ov, inline);
  if (!options.raw) data = toCurrent(engine, id, state, data);
  if (options.projection) {
    const keep = new Set(options.projection);
    data = Object.fromEntries(Object.entries(data).filter(([k]) => keep.has(k)));
  }
  const system = toSystemFields(state);
  const revision = shownRevision(engine, state);
  if (revision !== undefined) system.revision = revision;
  return { ...data, _id: id, _system: system };
}

/**
 * The latest version of a record, or null when there is none or it is logically deleted (unless
 * `includeDeleted`). If the payload vanished between the head lookup and the read (versioning
 * off prunes the previous version right after a write), the head is read once more. With the dev
 * shadow on, a head carrying a fresh shadow of its own version is answered from it without
 * reading item.json (see `dev-shadow.ts`).
 */
export async function getLatest(engine: Engine, id: string, options?: ReadOptions): Promise<ChronosRecord | null> {
  checkId(id);
  const opts = checkReadOptions(options);
  for (let attempt = 0; ; attempt += 1) {
    const head = await engine.heads.get(id);
    if (!head || (head.deleted && !opts.includeDeleted)) return null;
    const shadow = usableShadow(engine.ctx.settings.devShadow, head.ov, head.shadow, engine.now());
    try {
      return await loadRecord(engine, id, head, opts, shadow);
    } catch (e) {
      if (!(isChronosError(e) && e.code === 'NOT_FOUND')) throw e;
      if (attempt >= 1) {
        throw new StorageError(`the payload of ${id} v${head.ov} is missing: run reconcile`, { cause: e });
      }
    }
  }
}

/**
 * Version `ov` of a record, or null when it does not exist (a future ov, or one removed by
 * retention). A logically deleted version is returned as it is (`_system.deleted` true). With
 * versioning disabled only the latest version exists.
 */
export async function getVersion(engine: Engine, id: string, ov: number, options?: ReadOptions): Promise<ChronosRecord | null> {
  checkId(id);
  checkOv(ov);
  const opts = checkReadOptions(options);
  const [row, head] = await Promise.all([engine.ver.row(id, ov), engine.heads.get(id)]);
  return row && isCommitted(row, head) ? loadRecord(engine, id, row, opts) : null;
}

/**
 * The version that was current at `at`: the newest committed version whose time is at or before
 * it; null before the record existed, or when that version is a logical delete (unless
 * `includeDeleted`). With versioning disabled only the latest version is kept, so this returns it
 * when `at` is at or after its time and null before.
 */
export async function getAsOf(engine: Engine, id: string, at: string | Date, options?: ReadOptions): Promise<ChronosRecord | null> {
  checkId(id);
  const when = checkTime(at);
  const opts = checkReadOptions(options);
  const row = await versionAsOf(engine, id, when, await engine.heads.get(id));
  if (!row || (row.deleted && !opts.includeDeleted)) return null;
  return loadRecord(engine, id, row, opts);
}

/**
 * The newest committed version of `id` at or before `at`, by the strategy that suits the server:
 * one indexed query on MongoDB, `_id` lookups where every other query scans (FerretDB), unless
 * the context forces one (`asOfStrategy` in `context.ts`). Used by getAsOf and restoreObject.
 */
export async function versionAsOf(engine: Engine, id: string, at: Date, head: HeadDoc | null): Promise<VersionRow | null> {
  const strategy = engine.ctx.asOfStrategy ?? ((await serverProfile(engine.ctx.db)).scansQueries ? 'lookups' : 'query');
  return strategy === 'lookups' ? engine.ver.asOfByLookups(id, at, head) : engine.ver.asOf(id, at, head);
}

/** Every committed version of a record, oldest first (only the latest with versioning disabled). */
export async function history(engine: Engine, id: string): Promise<VersionInfo[]> {
  checkId(id);
  const rows = await engine.ver.history(id, await engine.heads.get(id));
  return rows.map((r) => versionInfo(r, shownRevision(engine, r)));
}

function versionInfo(r: VersionRow, revision: number | undefined): VersionInfo {
  return {
    ov: r.ov,
    cv: r.cv,
    at: r.at.toISOString(),
    deleted: r.deleted,
    ...(r.actor !== undefined ? { actor: r.actor } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.opId !== undefined ? { opId: r.opId } : {}),
    ...(r.restoredFrom !== undefined ? { restoredFrom: r.restoredFrom } : {}),
    ...(revision !== undefined ? { revision } : {}),
  };
}


