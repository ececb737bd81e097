/**
 * The shape of an index the engine, messaging, identities, counters or the fallback queue rely
 * on: what `ensure-indexes.ts` creates, `chronos migrate` diffs and applies, and the index-use
 * checks (`ops/query-shape.ts`) match query shapes against.
 */

/** Key of an index: field paths with a direction, in order. */
export type IndexKey = Record<string, 1 | -1>;

/** One index the engine relies on. `name` is stable and starts with `chronos_` so tools can tell ours from hand-made ones. */
export interface IndexSpec {
  /** Mongo collection (e.g. `orders_head`). */
  collection: string;
  name: string;
  key: IndexKey;
  unique?: boolean;
}
