/**
 * `listByMeta`: one page of records whose heads match a filter over indexed props and `_system`
 * fields, in a stable order (the sort field, ties broken by id) with an opaque, validated cursor
 * (see `list-cursor.ts`).
 */
import type { Filter } from 'mongodb';
import { ValidationError } from '../errors.js';
import type { Engine } from './engine.js';
import type { HeadDoc } from './store/head-store.js';
import type { ChronosRecord, ListPage, ListQuery, ReadOptions } from './types.js';
import { headField } from './meta-filter.js';
import { translateMetaFilter } from './meta-filter.js';
import { afterPosition, decodeCursor, encodeCursor, type ListOrder } from './list-cursor.js';
import { checkReadOptions, loadRecord } from './read.js';

/** Default page size. */
const DEFAULT_LIST_LIMIT = 50;
/** Largest page size. */
const MAX_LIST_LIMIT = 1000;

function checkOrder(sort: ListQuery['sort'], engine: Engine): ListOrder {
  if (sort === undefined) return { field: '_id', dir: 1 };
  const entries = typeof sort === 'object' && sort !== null ? Object.entries(sort) : [];
  const first = entries[0];
  if (entries.length !== 1 || !first || (first[1] !== 1 && first[1] !== -1)) {
    throw ValidationError.at(['sort'], 'expected one field with 1 or -1, e.g. { updatedAt: -1 }');
  }
  const [key, dir] = first;
  // The chronos-db API sorts on `updatedAt`/`insertedAt` without the `_system.` prefix; accept both.
  const name = key === 'updatedAt' || key === 'insertedAt' ? `_system.${key}` : key;
  return { field: headField(name, engine.ctx.settings, ['sort', key]), dir };
}

/** The value of the sort field of `head` (dot path), as the cursor records it. */
function sortValue(order: ListOrder, head: HeadDoc): unknown {
  return order.field.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], head);
}

function cursorFilter(order: ListOrder, cursor: unknown): Filter<HeadDoc> {
  const { value, id } = decodeCursor(order, cursor);
  return afterPosition(order, value, id) as Filter<HeadDoc>;
}

/**
 * Lists records by their indexed props. `limit` defaults to {@link DEFAULT_LIST_LIMIT} (at most
 * {@link MAX_LIST_LIMIT}); logically deleted records are left out unless `includeDeleted`.
 * Pagination is stable under concurrent writes to other records: the cursor is the last
 * (sort value, id) seen, not an offset.
 */
export async function listByMeta(engine: Engine, query: ListQuery = {}, options?: ReadOptions): Promise<ListPage> {
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw ValidationError.at(['limit'], `expected a whole number from 1 to ${MAX_LIST_LIMIT}`);
  }
  const order = checkOrder(query.sort, engine);
  const parts: Filter<HeadDoc>[] = [];
  const filter = translateMetaFilter(query.filter, engine.ctx.settings);
  if (Object.keys(filter).length > 0) parts.push(filter as Filter<HeadDoc>);
  if (!query.includeDeleted) parts.push({ deleted: false });
  if (query.afterId !== undefined) parts.push(cursorFilter(order, query.afterId));
  const opts = checkReadOptions(options);
  const mongoFilter: Filter<HeadDoc> = parts.length === 0 ? {} : parts.length === 1 ? (parts[0] as Filter<HeadDoc>) : { $and: parts };
  const sort = order.field === '_id' ? { _id: order.dir } : { [order.field]: order.dir, _id: order.dir };
  const heads = await engine.heads.page(mongoFilter, sort, limit + 1);
  const page = heads.slice(0, limit);
  const items: ChronosRecord[] = [];
  for (let i = 0; i < page.length; i += 8) {
    items.push(...(await Promise.all(page.slice(i, i + 8).map((h) => loadRecord(engine, h._id, h, opts)))));
  }
  const last = page[page.length - 1];
  return heads.length > limit && last ? { items, nextCursor: encodeCursor(order, sortValue(order, last), last._id) } : { items };
}
