/**
 * A record's version log, newest first and one page at a time (`chronos.admin.versionLog`): what
 * `history(id)` gives plus the kind of write and the functionIds of each version, for tools that
 * show long histories (Chronos Studio) and must not load a thousand versions to show twenty.
 * It decides what is committed exactly as `history` does; the queries are the stores'.
 */
import { ValidationError } from '../errors.js';
import type { EngineContext } from '../ops/context.js';
import { checkId } from '../ops/input-validation.js';
import { isCommitted, type VersionKind } from '../ops/store/version-store.js';
import { headStore, versionStore } from '../mongo/stores.js';
import type { VersionInfo } from '../ops/types.js';

/** One committed version: {@link VersionInfo} plus what made it and the functionIds it carries. */
export interface VersionLogEntry extends VersionInfo {
  /** The kind of write that produced the version. */
  kind: VersionKind;
  /** `_system.functionIds` of this version. */
  functionIds: string[];
}

/** Which page of {@link VersionLogEntry}s to read. */
export interface VersionLogQuery {
  /** Only versions with an ov below this one (the `nextBeforeOv` of the previous page); default: from the newest. */
  beforeOv?: number;
  /** Page size; default 50, at most 500. */
  limit?: number;
}

/** One page of a version log, newest first. */
export interface VersionLogPage {
  items: VersionLogEntry[];
  /** Pass as `beforeOv` for the next (older) page; absent on the last page. */
  nextBeforeOv?: number;
}

/** The kinds of write a version can record. */
export type { VersionKind };

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

function checkQuery(query: VersionLogQuery): { beforeOv?: number; limit: number } {
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw ValidationError.at(['limit'], `expected an integer from 1 to ${MAX_LIMIT}`);
  if (query.beforeOv !== undefined && (!Number.isInteger(query.beforeOv) || query.beforeOv < 0)) {
    throw ValidationError.at(['beforeOv'], 'expected a non-negative integer (the nextBeforeOv of the previous page)');
  }
  return { limit, ...(query.beforeOv !== undefined && { beforeOv: query.beforeOv }) };
}

/**
 * Reads one page of committed versions of `id`, newest first. The query is an equality on `id`
 * and a range and sort on `ov`, exactly the `{ id, ov }` index of `<collection>_ver`, so a page
 * costs the same whatever the length of the history. A row counts as committed as `history`
 * decides it (marked so, or at or below the head read just before); claims of writes still in
 * flight are read but left out, so a page may hold fewer than `limit` versions.
 */
export async function readVersionLog(ctx: EngineContext, id: string, query: VersionLogQuery = {}): Promise<VersionLogPage> {
  checkId(id);
  const { beforeOv, limit } = checkQuery(query);
  const head = await headStore(ctx.db, ctx.collection).get(id);
  const found = await versionStore(ctx.db, ctx.collection).page(id, beforeOv, limit + 1);
  const page = found.slice(0, limit);
  const items = page
    .filter((r) => isCommitted(r, head))
    .map((r) => ({
      ov: r.ov,
      cv: r.cv,
      at: r.at.toISOString(),
      deleted: r.deleted,
      kind: r.kind,
      functionIds: [...(r.functionIds ?? [])],
      ...(r.actor !== undefined && { actor: r.actor }),
      ...(r.reason !== undefined && { reason: r.reason }),
      ...(r.opId !== undefined && { opId: r.opId }),
      ...(r.restoredFrom !== undefined && { restoredFrom: r.restoredFrom }),
      // As recorded: unlike `history`, the log does not count versions from before revisions were recorded as revision 1.
      ...(r.revision !== undefined && { revision: r.revision }),
    }));
  const last = page[page.length - 1];
  return found.length > limit && last ? { items, nextBeforeOv: last.ov } : { items };
}
