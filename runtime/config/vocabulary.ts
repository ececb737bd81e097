/**
 * The vocabulary of databases, defined once: the database types, the tiers each has, which hold
 * versioned collections, which `chronos.with(...)` reaches, which keep payloads in object storage,
 * and the config keys a tier's databases are listed under. The public unions (`DatabaseType`,
 * `Tier`, `CollectionDatabaseType`, ...), the zod enums, the config walk ({@link eachDatabase}),
 * code generation and the Studio all derive from these tables; nothing else spells them out.
 *
 * @see docs/design.md, "Database types, tiers and routing"
 */

/**
 * What each database type is. `tiers` lists its tiers in config order; `versioned` types hold
 * versioned collections (placements, `chronos.admin.collections`); `routed` types are reached
 * with `chronos.with(...)`; `storage` types keep payloads in object storage beside Mongo;
 * `tenantScoped` single databases need a `tenantId` on every context.
 */
export const DATABASE_VOCABULARY = {
  metadata: { tiers: ['generic', 'domain', 'tenant'], versioned: true, routed: true, storage: true, tenantScoped: false },
  knowledge: { tiers: ['generic', 'domain', 'tenant'], versioned: true, routed: true, storage: true, tenantScoped: false },
  runtime: { tiers: ['tenant'], versioned: true, routed: true, storage: true, tenantScoped: false },
  logs: { tiers: ['single'], versioned: true, routed: true, storage: true, tenantScoped: false },
  messaging: { tiers: ['single'], versioned: false, routed: false, storage: false, tenantScoped: false },
  identities: { tiers: ['single'], versioned: false, routed: true, storage: false, tenantScoped: true },
} as const;

/**
 * Where a tier's databases sit inside `databases.<type>`: `configKey` is the key of the entry
 * (`one`) or list of entries (`list`), `scopeKey` the entry field that tells list entries apart.
 * The `single` tier is the `databases.<type>` object itself.
 */
export const TIER_VOCABULARY = {
  generic: { configKey: 'genericDatabase', shape: 'one', scopeKey: null },
  domain: { configKey: 'domainsDatabases', shape: 'list', scopeKey: 'domain' },
  tenant: { configKey: 'tenantDatabases', shape: 'list', scopeKey: 'tenantId' },
  single: { configKey: null, shape: 'section', scopeKey: null },
} as const;

type Vocabulary = typeof DATABASE_VOCABULARY;

/** Every database type the config has a section for (`databases.<type>`). */
export type ConfigDatabaseType = keyof Vocabulary;

/** Every tier name, `single` (the one database of a type) included. */
export type AnyTier = keyof typeof TIER_VOCABULARY;

/** The tiers of one database type, as a union. */
export type TiersOf<D extends ConfigDatabaseType> = Vocabulary[D]['tiers'][number];

/** The database types whose entry in the vocabulary has `flag` set. */
export type DatabaseTypesWhere<Flag extends 'versioned' | 'routed' | 'storage'> = {
  [D in ConfigDatabaseType]: Vocabulary[D][Flag] extends true ? D : never;
}[ConfigDatabaseType];

/** The config keys under which the tiers of `D` list their databases (none for `single`). */
export type TierConfigKeys<D extends ConfigDatabaseType> = NonNullable<(typeof TIER_VOCABULARY)[TiersOf<D>]['configKey']>;

/** The tiers that hold several databases told apart by a scope (`domain`, `tenantId`) or one shared one (`generic`). */
export type ScopedTier = Exclude<AnyTier, 'single'>;

function typesWhere<Flag extends 'versioned' | 'routed' | 'storage'>(flag: Flag): ReadonlyArray<DatabaseTypesWhere<Flag>> {
  return CONFIG_DATABASE_TYPES.filter((type) => DATABASE_VOCABULARY[type][flag]) as unknown as ReadonlyArray<DatabaseTypesWhere<Flag>>;
}

/** Every database type, in config order (the order of the config walk and of messages). */
export const CONFIG_DATABASE_TYPES = Object.keys(DATABASE_VOCABULARY) as ConfigDatabaseType[];

/** Every tier, in config order: `generic`, `domain`, `tenant`, `single`. */
export const ALL_TIERS = Object.keys(TIER_VOCABULARY) as AnyTier[];

/** The tiers of the tiered types (all but `single`), in config order. */
export const SCOPED_TIERS = ALL_TIERS.filter((tier): tier is ScopedTier => tier !== 'single');

/** The database types reached with `chronos.with(...)`. */
export const ROUTED_DATABASE_TYPES = typesWhere('routed');

/** The database types that hold versioned collections. */
export const VERSIONED_DATABASE_TYPES = typesWhere('versioned');

/** The database types whose databases keep payloads in object storage. */
export const STORAGE_DATABASE_TYPES = typesWhere('storage');

/** True when `value` names a database type that holds versioned collections. */
export function isVersionedDatabaseType(value: string): value is DatabaseTypesWhere<'versioned'> {
  return (VERSIONED_DATABASE_TYPES as readonly string[]).includes(value);
}

/** The tiers of `type`, in config order. */
export function tiersOf<D extends ConfigDatabaseType>(type: D): ReadonlyArray<TiersOf<D>> {
  return DATABASE_VOCABULARY[type].tiers;
}

/** `a, b or c`: a list of names as messages write it. */
export function orList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] as string}`;
}
