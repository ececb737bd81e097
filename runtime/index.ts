/**
 * The public API of Chronos. Everything a user can import from `chronos-db` is re-exported
 * here; files not reachable from this one are internal.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export type * from './ops/types.js';
export type * from './storage/object-store.js';
