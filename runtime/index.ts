/**
 * The public API of Chronos. Everything a user can import from `chronos-db` is re-exported
 * here; files not reachable from this one are internal.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export type * from './ops/types.js';
export type * from './storage/object-store.js';
export * from './schema/define-collection.js';
export * from './schema/placement.js';
export * from './schema/derive-config.js';
export * from './schema/validate-input.js';
export * from './schema/entity-support.js';
export type * from './schema/counter-rule.js';
export type * from './schema/chronos-like.js';
export type * from './schema/typed-query.js';
export * from './schema/collection-indexes.js';
export type { IndexKey, IndexSpec } from './ops/indexes.js';
export * from './schema/typed-results.js';
