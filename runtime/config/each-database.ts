/**
 * The one walk over the databases of a parsed config. Routing, the config checks, health, migrate
 * targets and the Studio all read the `databases` section through {@link eachDatabase}, so where a
 * tier's databases sit (`runtime/config/vocabulary.ts`) is known in one place.
 */
import type { ParsedChronosConfig } from './schema.js';
import { CONFIG_DATABASE_TYPES, DATABASE_VOCABULARY, STORAGE_DATABASE_TYPES, TIER_VOCABULARY, type AnyTier, type ConfigDatabaseType } from './vocabulary.js';

/** A path into the config, written the way error issue paths are (`['databases', 'logs', 'dbName']`). */
export type ConfigPath = Array<string | number>;

/** The settings every configured database has; the storage fields only on storage types, `analyticsDbName` only on runtime tenants. */
export interface DatabaseSettings {
  dbConnRef: string | string[];
  dbName: string;
  spaceConnRef?: string | string[] | undefined;
  bucket?: string | undefined;
  keyPrefix?: string | undefined;
  analyticsDbName?: string | undefined;
}

/** One configured database: its type, tier, scope, where it is in the config, and its settings. */
export interface ConfiguredDatabase {
  databaseType: ConfigDatabaseType;
  tier: AnyTier;
  /** Set on tenant-tier databases. */
  tenantId?: string;
  /** Set on domain-tier databases. */
  domain?: string;
  /** Where the entry is, e.g. `['databases', 'runtime', 'tenantDatabases', 0]`, for messages. */
  path: ConfigPath;
  /** The entry as configured (its `dbConnRef`, `dbName`, storage fields). */
  settings: DatabaseSettings;
}

function configured(databaseType: ConfigDatabaseType, tier: AnyTier, path: ConfigPath, settings: DatabaseSettings & Record<string, unknown>): ConfiguredDatabase {
  const scopeKey = TIER_VOCABULARY[tier].scopeKey;
  const found: ConfiguredDatabase = { databaseType, tier, path, settings };
  if (scopeKey === 'tenantId') found.tenantId = settings.tenantId as string;
  if (scopeKey === 'domain') found.domain = settings.domain as string;
  return found;
}

function* databasesOfType(config: ParsedChronosConfig, databaseType: ConfigDatabaseType): Generator<ConfiguredDatabase> {
  const section = config.databases[databaseType] as Record<string, unknown> | undefined;
  if (section === undefined) return;
  const base: ConfigPath = ['databases', databaseType];
  for (const tier of DATABASE_VOCABULARY[databaseType].tiers as readonly AnyTier[]) {
    const { configKey, shape } = TIER_VOCABULARY[tier];
    if (configKey === null) {
      yield configured(databaseType, tier, base, section as unknown as DatabaseSettings & Record<string, unknown>);
    } else if (shape === 'one') {
      const entry = section[configKey] as (DatabaseSettings & Record<string, unknown>) | undefined;
      if (entry !== undefined) yield configured(databaseType, tier, [...base, configKey], entry);
    } else {
      const entries = (section[configKey] ?? []) as Array<DatabaseSettings & Record<string, unknown>>;
      for (const [i, entry] of entries.entries()) yield configured(databaseType, tier, [...base, configKey, i], entry);
    }
  }
}

/**
 * Every database of the config, each once, in config order: database types as the vocabulary
 * lists them, tiers in order (generic, domain, tenant, single), list entries by index. With
 * `databaseType`, only that type's databases.
 *
 * @example
 * for (const db of eachDatabase(config)) console.log(db.databaseType, db.tier, db.settings.dbName);
 */
export function* eachDatabase(config: ParsedChronosConfig, databaseType?: ConfigDatabaseType): Generator<ConfiguredDatabase> {
  for (const type of databaseType === undefined ? CONFIG_DATABASE_TYPES : [databaseType]) yield* databasesOfType(config, type);
}

/** The databases of the config whose type keeps payloads in object storage (`storage` in the vocabulary). */
export function storageDatabases(config: ParsedChronosConfig): ConfiguredDatabase[] {
  return STORAGE_DATABASE_TYPES.flatMap((type) => [...eachDatabase(config, type)]);
}
