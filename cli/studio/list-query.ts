/**
 * The query of the Studio's record list, read from request parameters: equality (`f.<prop>`),
 * prefix (`p.<prop>`) and range (`lo.<prop>`, `hi.<prop>`, both inclusive) filters on indexed
 * props, a sort on one indexed prop (`sort`, `dir`) and the include-deleted switch. Every filter
 * and sort names an indexed prop, so the prop's `{ meta.<prop>, _id }` index serves it: a prefix
 * or range filter sorts by its prop (the index walks that range in order), which is why only one
 * prop may carry one. The page cursor is signed with the query it was made for: a cursor sent
 * with another filter or sort is refused instead of silently skipping rows.
 */
import { createHash } from 'node:crypto';
import type { ListQuery } from '../../runtime/ops/types.js';
import { filterValue, type CollectionFields, type FilterField } from './collection-fields.js';
import { StudioHttpError } from './http-io.js';

/** A list query and the signature its cursors carry. */
export interface StudioListQuery {
  query: Omit<ListQuery, 'afterId' | 'limit'>;
  /** Short hash of the filter, sort and deleted switch. */
  signature: string;
}

type Params = { get(name: string): string | null };

function typed(field: FilterField, text: string, what: string): unknown {
  const value = filterValue({ ...field, kind: field.kind === 'enum' && what !== 'filter' ? 'string' : field.kind }, text);
  if (value === undefined) throw new StudioHttpError(400, `${what} ${field.prop}: ${JSON.stringify(text)} is not a valid ${field.kind}${field.values && what === 'filter' ? ` (one of ${field.values.join(', ')})` : ''}`);
  return value;
}

/** The smallest string above every string that starts with `prefix` (undefined when none exists). */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = (points.pop() as string).codePointAt(0) as number;
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
  }
  return undefined;
}

/** Reads the list query of `/api/records` from `params`; 400 for a value a field cannot take or a sort the indexes cannot serve. */
export function listQueryFrom(params: Params, fields: CollectionFields): StudioListQuery {
  const filter: Record<string, unknown> = {};
  let ranged: string | undefined;
  for (const field of fields.filters) {
    const eq = params.get(`f.${field.prop}`);
    const prefix = params.get(`p.${field.prop}`);
    const lo = params.get(`lo.${field.prop}`);
    const hi = params.get(`hi.${field.prop}`);
    const range: Record<string, unknown> = {};
    if (prefix) {
      if (field.kind !== 'string' && field.kind !== 'datetime') throw new StudioHttpError(400, `prefix ${field.prop}: only text props take a prefix`);
      range.$gte = prefix;
      const end = prefixEnd(prefix);
      if (end !== undefined) range.$lt = end;
    }
    if (lo) range.$gte = typed(field, lo, 'from');
    if (hi) range.$lte = typed(field, hi, 'to');
    const hasRange = Object.keys(range).length > 0;
    if (eq && hasRange) throw new StudioHttpError(400, `${field.prop}: give a value, or a prefix or range, not both`);
    if (eq) filter[field.prop] = typed(field, eq, 'filter');
    if (hasRange) {
      if (ranged) throw new StudioHttpError(400, `a prefix or range filter on one prop at a time (${ranged} and ${field.prop}): its index serves it in its own order`);
      ranged = field.prop;
      filter[field.prop] = range;
    }
  }
  const sortProp = params.get('sort') || ranged;
  const dir = params.get('dir') === 'desc' ? -1 : 1;
  if (sortProp && !fields.filters.some((f) => f.prop === sortProp)) throw new StudioHttpError(400, `sort ${JSON.stringify(sortProp)}: sort by an indexed prop (${fields.filters.map((f) => f.prop).join(', ')})`);
  if (ranged && sortProp !== ranged) throw new StudioHttpError(400, `a prefix or range filter on ${ranged} sorts by ${ranged} (its index serves both)`);
  const includeDeleted = params.get('deleted') === '1';
  const query = { filter, includeDeleted, ...(sortProp && { sort: { [sortProp]: dir as 1 | -1 } }) };
  const signature = createHash('sha256').update(JSON.stringify([filter, sortProp ?? null, dir, includeDeleted])).digest('base64url').slice(0, 12);
  return { query, signature };
}

/** A page cursor for the client: the engine's cursor behind the query's signature. */
export function signCursor(signature: string, cursor: string): string {
  return `${signature}.${cursor}`;
}

/** The engine's cursor inside a signed one; 400 when it was made for another query. */
export function openCursor(signature: string, signed: string): string {
  const dot = signed.indexOf('.');
  if (dot < 0 || signed.slice(0, dot) !== signature) {
    throw new StudioHttpError(400, 'this page cursor was made for another filter or sort: start again from the first page', { code: 'STALE_CURSOR' });
  }
  return signed.slice(dot + 1);
}
