/**
 * What each version changed, by field: `/api/changes` (the top-level fields each of some versions
 * changed from the version before it, for the timeline) and `/api/field-history` (the versions
 * that changed one field, newest first, with who and why: "who last changed status"). Both read
 * version payloads, a bounded number per request, through the public engine API.
 */
import type { ChronosRecord } from '../../runtime/ops/types.js';
import type { RouteContext } from '../../runtime/router/resolve-route.js';
import { StudioHttpError } from './http-io.js';
import { diffJson } from './json-diff.js';
import { contextFrom, idFrom, intParam, requiredParam } from './route-params.js';
import type { StudioContext } from './studio-context.js';

/** At most this many versions per `/api/changes` request (a timeline page is 50). */
const MAX_CHANGES = 60;
/** At most this many versions read per `/api/field-history` request; the answer says where to go on. */
const FIELD_SCAN = 100;
/** Payload reads in flight at once. */
const PARALLEL = 8;

type Data = Record<string, unknown> | null;

/** The application data of a version (no `_id`, no `_system`), or null when it has none. */
async function dataOf(studio: StudioContext, ctx: RouteContext, id: string, ov: number): Promise<Data> {
  const record = (await studio.chronos.with(ctx).getVersion(id, ov, { includeDeleted: true })) as ChronosRecord | null;
  if (!record) return null;
  const { _id, _system, ...data } = record as Record<string, unknown>;
  return data;
}

/** Reads the data of every version in `ovs`, {@link PARALLEL} at a time. */
async function readAll(studio: StudioContext, ctx: RouteContext, id: string, ovs: readonly number[]): Promise<Map<number, Data>> {
  const out = new Map<number, Data>();
  const todo = [...new Set(ovs)].filter((ov) => ov >= 0);
  for (let i = 0; i < todo.length; i += PARALLEL) {
    const batch = todo.slice(i, i + PARALLEL);
    const read = await Promise.all(batch.map((ov) => dataOf(studio, ctx, id, ov)));
    batch.forEach((ov, j) => out.set(ov, read[j] ?? null));
  }
  return out;
}

/** The top-level fields that differ between two versions' data, sorted. */
function changedFields(before: Data, after: Data): string[] {
  const diff = diffJson(before ?? {}, after ?? {});
  const top = (path: string) => path.split(/[.[]/)[0] as string;
  return [...new Set([...diff.added, ...diff.removed, ...diff.changed].map((d) => top(d.path)))].sort();
}

/** `/api/changes?ovs=3,2,1`: for each version, the top-level fields it changed from the one before (all of them for v0). */
export async function versionChanges(studio: StudioContext, params: URLSearchParams): Promise<{ changes: Record<string, string[]> }> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const text = requiredParam(params, 'ovs');
  if (!/^\d{1,9}(,\d{1,9})*$/.test(text)) throw new StudioHttpError(400, '"ovs" must be version numbers separated by commas');
  const ovs = text.split(',').map(Number);
  if (ovs.length > MAX_CHANGES) throw new StudioHttpError(400, `at most ${MAX_CHANGES} versions per request`);
  const data = await readAll(studio, ctx, id, ovs.flatMap((ov) => [ov, ov - 1]));
  const changes: Record<string, string[]> = {};
  for (const ov of ovs) changes[ov] = changedFields(ov === 0 ? {} : (data.get(ov - 1) ?? null), data.get(ov) ?? null);
  return { changes };
}

/** One version that changed the field. */
interface FieldChange {
  ov: number;
  at: string;
  kind: string;
  actor?: string;
  reason?: string;
  before?: unknown;
  after?: unknown;
}

/**
 * `/api/field-history?field=status[&beforeOv]`: the versions that changed top-level field `field`,
 * newest first, found among the {@link FIELD_SCAN} versions below `beforeOv` (default: from the
 * newest); `nextBeforeOv` continues with older ones.
 */
export async function fieldHistory(studio: StudioContext, params: URLSearchParams): Promise<{ field: string; items: FieldChange[]; scanned: number; nextBeforeOv?: number }> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const field = requiredParam(params, 'field');
  const beforeOv = intParam(params, 'beforeOv');
  const log = await studio.chronos.admin.versionLog(ctx, id, { ...(beforeOv !== undefined && { beforeOv }), limit: FIELD_SCAN });
  const entries = log.items;
  const oldest = entries[entries.length - 1];
  const data = await readAll(studio, ctx, id, [...entries.map((e) => e.ov), ...(oldest ? [oldest.ov - 1] : [])]);
  const items: FieldChange[] = [];
  for (const entry of entries) {
    const after = data.get(entry.ov)?.[field];
    const before = entry.ov === 0 ? undefined : data.get(entry.ov - 1)?.[field];
    if (JSON.stringify(after) === JSON.stringify(before)) continue;
    items.push({
      ov: entry.ov,
      at: entry.at,
      kind: entry.kind,
      ...(entry.actor !== undefined && { actor: entry.actor }),
      ...(entry.reason !== undefined && { reason: entry.reason }),
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
    });
  }
  return { field, items, scanned: entries.length, ...(log.nextBeforeOv !== undefined && oldest && { nextBeforeOv: oldest.ov }) };
}
