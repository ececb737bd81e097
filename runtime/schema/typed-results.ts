/**
 * Typing the engine's untyped results as a collection's records. The generated repositories
 * validate every write with the collection's schema, so what they read back has that shape.
 */
import type { ListPage } from '../ops/types.js';

/** A page of the engine's `listByMeta`, typed as the collection's records. */
export function typedPage<T extends object>(page: ListPage): ListPage<T> {
  return page as unknown as ListPage<T>;
}
