/**
 * The part of a Chronos instance the generated repositories use: `with(context)`. Declared
 * structurally so generated code depends on the contract, not on the engine's class.
 */
import type { CollectionOps } from '../ops/types.js';
import type { CollectionDatabaseType, CollectionTier } from './placement.js';

/** A routed context: which database (type, tier, tenant or domain) and which collection. */
export interface RouteContextLike {
  databaseType: CollectionDatabaseType;
  tier: CollectionTier;
  tenantId?: string;
  domain?: string;
  collection: string;
}

/** Anything that hands out untyped collection operations for a context, e.g. the instance `initChronos` returns. */
export interface ChronosLike {
  with(context: RouteContextLike): CollectionOps;
  /** The declarations the instance was given (`initChronos({ collections })`), by name; checked by the generated `createRepositories`. */
  readonly declarations?: ReadonlyMap<string, unknown>;
}
