/**
 * What the rest of Chronos uses from the engine: the factory behind `chronos.with(...)`, the two
 * admin operations, and the context/settings types. Internal to the package; `runtime/index.ts`
 * decides what users see.
 */
export { createCollectionOps } from './collection-ops.js';
export type { EngineCollectionOps } from './collection-ops.js';
export { reconcileCollection } from './reconcile.js';
export type { ReconcileOptions, ReconcileReport, VersionRef } from './reconcile.js';
export { applyVersionRetention } from './retention.js';
export type { RetentionPolicy, RetentionReport } from './retention.js';
export { DEFAULT_GRACE_MS, DEFAULT_LEASE_MS, DEFAULT_MAX_PAYLOAD_BYTES, resolveCollectionSettings } from './context.js';
export type { Base64PropSettings, CollectionSettings, EngineContext, FaultHook, RouteInfo, WriteStep } from './context.js';
export type { RestoreObjectOptions } from './restore-object.js';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './list-by-meta.js';
export { servingIndex, shapeOf } from './query-shape.js';
export type { QueryShape } from './query-shape.js';
