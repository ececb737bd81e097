/**
 * Building blocks of the closed filter and sort types the generated repositories declare per
 * collection. Each collection's filter names its indexed props explicitly; nothing here recurses
 * into the record type, so type-checking stays cheap however many collections there are.
 */
/** Comparison operators on one indexed prop (server-side JavaScript operators do not exist here). */
export interface FieldCondition<V> {
  $eq?: V;
  $ne?: V;
  $gt?: V;
  $gte?: V;
  $lt?: V;
  $lte?: V;
  $in?: readonly V[];
  $nin?: readonly V[];
  $exists?: boolean;
}

/** A value an indexed prop is matched against: the value itself (equality) or a {@link FieldCondition}. */
export type FieldFilter<V> = V | FieldCondition<V>;

/** Ascending (1) or descending (-1). */
export type SortDirection = 1 | -1;

/**
 * The `_system` fields a `listByMeta` filter accepts besides the indexed props (the runtime's
 * list, `SYSTEM_FILTER_FIELDS`), each with its type; times also take ISO-8601 strings.
 */
export type SystemFilter = {
  _id?: FieldFilter<string>;
  '_system.ov'?: FieldFilter<number>;
  '_system.cv'?: FieldFilter<number>;
  '_system.insertedAt'?: FieldFilter<string | Date>;
  '_system.updatedAt'?: FieldFilter<string | Date>;
  '_system.deletedAt'?: FieldFilter<string | Date | null>;
  '_system.deleted'?: FieldFilter<boolean>;
  /** Matches records whose `functionIds` contain the value. */
  '_system.functionIds'?: FieldFilter<string>;
  '_system.parentId'?: FieldFilter<string>;
  '_system.parentCollection'?: FieldFilter<string>;
  '_system.originId'?: FieldFilter<string>;
  '_system.originCollection'?: FieldFilter<string>;
};

/** The `_system` fields a list can be ordered by besides the indexed props (`updatedAt` and `insertedAt` also without the prefix). */
export type SystemSort =
  | { updatedAt: SortDirection }
  | { insertedAt: SortDirection }
  | { '_system.updatedAt': SortDirection }
  | { '_system.insertedAt': SortDirection }
  | { '_system.deletedAt': SortDirection }
  | { '_system.ov': SortDirection }
  | { '_system.cv': SortDirection }
  | { _id: SortDirection };

/** A typed `listByMeta` query: `Filter` and `Sort` are the collection's closed types. */
export interface TypedListQuery<Filter, Sort> {
  filter?: Filter;
  sort?: Sort;
  /** Page size; default 50, at most 1,000. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  afterId?: string;
  includeDeleted?: boolean;
}

