/**
 * Where a collection lives: which database types and tiers. The tiers each database type has
 * follow the configuration's shape (`metadata` and `knowledge` have generic, domain and tenant
 * databases; `runtime` only tenant ones; `logs` one database). Messaging and identities are not
 * here: they have their own APIs rather than versioned collections. All of it derives from the
 * vocabulary in `runtime/config/vocabulary.ts`.
 */
import { VERSIONED_DATABASE_TYPES, tiersOf, type AnyTier, type DatabaseTypesWhere, type TiersOf } from '../config/vocabulary.js';

/** The database types that hold versioned collections (what `chronos.with(...)` returns operations for). */
export type CollectionDatabaseType = DatabaseTypesWhere<'versioned'>;

/** The tier of a database inside its database type. `single` is the one database of `logs`. */
export type CollectionTier = AnyTier;

/** The tiers each database type has; a placement or entity mapping naming another is a compile error. */
export type TiersByDatabaseType = { [D in CollectionDatabaseType]: TiersOf<D> };

/** Runtime mirror of {@link TiersByDatabaseType}, for declarations written in plain JavaScript. */
export const TIERS_BY_DATABASE_TYPE = Object.fromEntries(VERSIONED_DATABASE_TYPES.map((type) => [type, tiersOf(type)])) as {
  readonly [D in CollectionDatabaseType]: readonly TiersByDatabaseType[D][];
};

/** One database type and the tiers of it a collection is placed in. */
export type Placement = {
  [D in CollectionDatabaseType]: { readonly databaseType: D; readonly tiers: readonly TiersByDatabaseType[D][] };
}[CollectionDatabaseType];

/** One database type and one of its tiers: a single place a collection can be reached. */
export type Location = {
  [D in CollectionDatabaseType]: { readonly databaseType: D; readonly tier: TiersByDatabaseType[D] };
}[CollectionDatabaseType];

type LocationsOfOne<P> = P extends { databaseType: infer D; tiers: readonly (infer T)[] }
  ? { readonly databaseType: D; readonly tier: T }
  : never;

/** Every {@link Location} a placement (or list of placements) allows. */
export type LocationsOf<P> = P extends readonly (infer E)[] ? LocationsOfOne<E> : LocationsOfOne<P>;

/** Normalises a placement (one or many) into the list of {@link Location}s it allows, in declaration order. */
export function locationsOf(placement: Placement | readonly Placement[]): Location[] {
  const list: readonly Placement[] = Array.isArray(placement) ? placement : [placement as Placement];
  const out: Location[] = [];
  for (const p of list) {
    for (const tier of p.tiers) out.push({ databaseType: p.databaseType, tier } as Location);
  }
  return out;
}
