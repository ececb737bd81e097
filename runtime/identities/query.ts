/** `query`: records matching a filter over indexed props, in id order, page by page. */
import { parseInput } from '../validation/parse-input.js';
import { records, toIdentityRecord, type IdentityContext } from './documents.js';
import { toIdentityQuery } from './filter.js';
import { DEFAULT_QUERY_LIMIT, queryOptionsSchema } from './schemas.js';
import type { IdentityFilter, IdentityPage, IdentityQueryOptions } from './types.js';

/** One page of records of the tenant matching `filter`; the cursor is the last id of the page. */
export async function queryIdentities<T extends object>(
  ctx: IdentityContext,
  filter?: IdentityFilter,
  options?: IdentityQueryOptions,
): Promise<IdentityPage<T>> {
  const { limit = DEFAULT_QUERY_LIMIT, afterId } = parseInput(queryOptionsSchema, options, ['options']) ?? {};
  const query = toIdentityQuery(filter, ctx.tenantId, ctx.indexedProps, ctx.collection);
  const paged = afterId === undefined ? query : { $and: [query, { id: { $gt: afterId } }] };
  // One extra row tells whether a next page exists without a count.
  const docs = await records(ctx).page(paged, limit + 1);
  const items = docs.slice(0, limit).map((doc) => toIdentityRecord<T>(doc));
  const last = items[items.length - 1];
  return docs.length > limit && last ? { items, nextCursor: last._id } : { items };
}
