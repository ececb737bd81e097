/**
 * The read side of the Studio's API: a collection's records (filtered on indexed props, cursor
 * paged), one record's head and lineage, its version log a page at a time, any version's JSON,
 * the state as of an instant, a diff of two versions and a base64 prop's bytes. Everything goes
 * through the public engine API (`chronos.with(ctx)`, `chronos.admin.versionLog`).
 */
import type { ChronosRecord, CollectionOps } from '../../runtime/ops/types.js';
import type { RouteContext } from '../../runtime/router/resolve-route.js';
import type { VersionLogEntry } from '../../runtime/instance/version-log.js';
import { collectionFields, type CollectionFields } from './collection-fields.js';
import { childrenOf, resolveLink } from './lineage-links.js';
import { listQueryFrom, openCursor, signCursor } from './list-query.js';
import { StudioHttpError } from './http-io.js';
import { diffJson } from './json-diff.js';
import { wordSegments } from './word-diff.js';
import { contextFrom, idFrom, intParam, requiredInt, requiredParam } from './route-params.js';
import type { StudioContext } from './studio-context.js';

/** A base64 prop of a version, replaced in the JSON by a marker and offered as a download. */
export interface BlobRef {
  prop: string;
  bytes: number;
}

/** A version as the page shows it. */
export interface VersionView {
  ov: number;
  /** The record with base64 props replaced by `{ $blob: prop, bytes }`. */
  record: Record<string, unknown>;
  blobs: BlobRef[];
}

function opsFor(studio: StudioContext, ctx: RouteContext): CollectionOps {
  return studio.chronos.with(ctx);
}

function fieldsOf(studio: StudioContext, ctx: RouteContext): CollectionFields {
  return collectionFields(ctx.collection, studio.chronos.config, studio.declarations.get(ctx.collection));
}

function valueAt(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[part] : undefined;
  return current;
}

function viewOf(record: ChronosRecord, base64Props: readonly string[]): VersionView {
  const out: Record<string, unknown> = { ...record };
  const blobs: BlobRef[] = [];
  for (const prop of base64Props) {
    const value = out[prop];
    if (typeof value !== 'string') continue;
    const bytes = Buffer.from(value, 'base64').length;
    out[prop] = { $blob: prop, bytes };
    blobs.push({ prop, bytes });
  }
  return { ov: record._system.ov, record: out, blobs };
}

/** The display field's value of a record as a short title, when the declaration names one and the record has it. */
function titleOf(record: Record<string, unknown>, displayField: string | undefined): string | undefined {
  if (!displayField) return undefined;
  const value = record[displayField];
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 200) : undefined;
}

/**
 * `/api/records`: one page of a collection, with the filters and sort of {@link listQueryFrom},
 * `after` (a cursor of the same query), `limit` and `deleted=1`.
 */
export async function listRecords(studio: StudioContext, params: URLSearchParams): Promise<unknown> {
  const ctx = contextFrom(params);
  const fields = fieldsOf(studio, ctx);
  const { query, signature } = listQueryFrom(params, fields);
  const limit = intParam(params, 'limit') ?? 50;
  const after = params.get('after');
  const page = await opsFor(studio, ctx).listByMeta({
    ...query,
    limit: Math.min(Math.max(limit, 1), 200),
    ...(after && { afterId: openCursor(signature, after) }),
  });
  return {
    fields,
    items: page.items.map((r) => {
      const title = titleOf(r, fields.displayField);
      return {
        id: r._id,
        ...(title !== undefined && { title }),
        ov: r._system.ov,
        cv: r._system.cv,
        updatedAt: r._system.updatedAt,
        deleted: r._system.deleted,
        values: Object.fromEntries(fields.filters.map((f) => [f.prop, valueAt(r, f.prop) ?? null])),
      };
    }),
    ...(page.nextCursor !== undefined && { nextCursor: signCursor(signature, page.nextCursor) }),
  };
}

/** `/api/record`: the head of a record (deleted ones too), its lineage (parent and origin placed in their databases, children) and the collection's fields. */
export async function getRecord(studio: StudioContext, params: URLSearchParams): Promise<unknown> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const latest = await opsFor(studio, ctx).getLatest(id, { includeDeleted: true });
  if (!latest) throw new StudioHttpError(404, `no record ${id} in ${ctx.collection}`);
  const s = latest._system;
  const [parent, origin, { children, more }] = await Promise.all([
    resolveLink(studio, ctx, s.parentId, s.parentCollection),
    resolveLink(studio, ctx, s.originId, s.originCollection),
    childrenOf(studio, ctx, id),
  ]);
  const fields = fieldsOf(studio, ctx);
  const title = titleOf(latest, fields.displayField);
  return {
    id,
    ...(title !== undefined && { title }),
    context: ctx,
    system: s,
    write: studio.write,
    fields,
    ...(parent && { parent }),
    ...(origin && { origin }),
    children,
    ...(more && { moreChildren: true }),
  };
}

/** A version log entry as the timeline shows it: with the functionIds this version added (not every one it carries). */
export interface TimelineEntry extends VersionLogEntry {
  addedFunctionIds: string[];
}

function addedIds(entry: VersionLogEntry, previous: VersionLogEntry | undefined): string[] {
  const before = new Set(previous?.functionIds ?? []);
  return entry.functionIds.filter((f) => !before.has(f));
}

/**
 * `/api/versions`: one page of the version log, newest first (`beforeOv`, `limit`). Each version
 * says which functionIds it added; for that the page reads one version more than it shows (the
 * predecessor of its oldest row).
 */
export async function listVersions(studio: StudioContext, params: URLSearchParams): Promise<{ items: TimelineEntry[]; nextBeforeOv?: number }> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const beforeOv = intParam(params, 'beforeOv');
  const limit = Math.min(Math.max(intParam(params, 'limit') ?? 50, 1), 499);
  const page = await studio.chronos.admin.versionLog(ctx, id, { ...(beforeOv !== undefined && { beforeOv }), limit: limit + 1 });
  const shown = page.items.slice(0, limit);
  let previous = page.items[limit];
  const oldest = shown[shown.length - 1];
  if (!previous && oldest && page.nextBeforeOv !== undefined) previous = (await studio.chronos.admin.versionLog(ctx, id, { beforeOv: oldest.ov, limit: 1 })).items[0];
  const items = shown.map((entry, i) => ({ ...entry, addedFunctionIds: addedIds(entry, shown[i + 1] ?? previous) }));
  const more = page.items.length > limit || page.nextBeforeOv !== undefined;
  return { items, ...(more && oldest && { nextBeforeOv: oldest.ov }) };
}

async function versionOrFail(studio: StudioContext, ctx: RouteContext, id: string, ov: number): Promise<ChronosRecord> {
  const record = await opsFor(studio, ctx).getVersion(id, ov, { includeDeleted: true });
  if (!record) throw new StudioHttpError(404, `record ${id} has no version ${ov}`);
  return record;
}

/** `/api/version`: the JSON of version `ov`. */
export async function getVersionView(studio: StudioContext, params: URLSearchParams): Promise<VersionView> {
  const ctx = contextFrom(params);
  return viewOf(await versionOrFail(studio, ctx, idFrom(params), requiredInt(params, 'ov')), fieldsOf(studio, ctx).base64Props);
}

/** `/api/asof`: the version current at `at` (an ISO time), deleted or not. */
export async function getAsOfView(studio: StudioContext, params: URLSearchParams): Promise<VersionView> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const at = requiredParam(params, 'at');
  if (Number.isNaN(Date.parse(at))) throw new StudioHttpError(400, `"at" must be an ISO time, got ${JSON.stringify(at)}`);
  const record = await opsFor(studio, ctx).getAsOf(id, new Date(at), { includeDeleted: true });
  if (!record) throw new StudioHttpError(404, `record ${id} did not exist at ${new Date(at).toISOString()}`);
  return viewOf(record, fieldsOf(studio, ctx).base64Props);
}

/** `/api/diff`: versions `a` and `b` and the paths added, removed and changed from `a` to `b`; a changed string also gets its word segments. */
export async function diffVersions(studio: StudioContext, params: URLSearchParams): Promise<unknown> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const base64 = fieldsOf(studio, ctx).base64Props;
  const [a, b] = await Promise.all([versionOrFail(studio, ctx, id, requiredInt(params, 'a')), versionOrFail(studio, ctx, id, requiredInt(params, 'b'))]);
  const before = viewOf(a, base64);
  const after = viewOf(b, base64);
  const diff = diffJson(before.record, after.record);
  const changed = diff.changed.map((entry) => {
    const words = typeof entry.before === 'string' && typeof entry.after === 'string' ? wordSegments(entry.before, entry.after) : undefined;
    return words ? { ...entry, words } : entry;
  });
  return { a: before, b: after, diff: { ...diff, changed } };
}

/** `/api/blob`: the bytes of base64 prop `prop` of version `ov`, as a download. */
export async function getBlob(studio: StudioContext, params: URLSearchParams): Promise<{ bytes: Buffer; contentType: string; fileName: string }> {
  const ctx = contextFrom(params);
  const id = idFrom(params);
  const ov = requiredInt(params, 'ov');
  const prop = requiredParam(params, 'prop');
  if (!fieldsOf(studio, ctx).base64Props.includes(prop)) throw new StudioHttpError(400, `${prop} is not a base64 prop of ${ctx.collection}`);
  const value = (await versionOrFail(studio, ctx, id, ov))[prop];
  if (typeof value !== 'string') throw new StudioHttpError(404, `version ${ov} has no ${prop}`);
  const declared = studio.declarations.get(ctx.collection)?.base64Props[prop]?.contentType;
  const configured = studio.chronos.config.collectionMaps[ctx.collection]?.base64Props[prop]?.contentType;
  return { bytes: Buffer.from(value, 'base64'), contentType: declared ?? configured ?? 'application/octet-stream', fileName: `${id}-v${ov}-${prop.replace(/[^A-Za-z0-9_.-]/g, '_')}` };
}
