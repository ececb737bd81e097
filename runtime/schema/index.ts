/**
 * The schema DSL and the typed-repository base, without the engine: what collection
 * declarations and generated repositories import (`chronos-db/schema`). Loading it does not load
 * the engine, the Mongo driver or the storage SDKs, so `chronos generate` and `chronos migrate`
 * read declarations quickly. Everything here is also exported from the package entry.
 *
 * @packageDocumentation
 */
export * from './define-collection.js';
export * from './placement.js';
export * from './derive-config.js';
export * from './validate-input.js';
export * from './collection-indexes.js';
export * from './collection-repository.js';
export * from './require-declarations.js';
export * from './upcasters.js';
export type * from './chronos-like.js';
export type * from './typed-query.js';
export type { IndexKey, IndexSpec } from '../mongo/index-spec.js';
export type { ChronosRecord, CollectionOps, DeepPartial, EntityResult, ListPage, ReadOptions } from '../ops/types.js';
export type * from './presigned.js';
export type { CreateManyOptions, CreateOptions, CreateResult, DeleteResult, EnrichOptions, UpdateResult, VersionInfo, RestoreObjectTarget, WriteOptions } from '../ops/types.js';
