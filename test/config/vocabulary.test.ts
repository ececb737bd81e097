/**
 * The database vocabulary is the one source of the public unions, the zod enums and the config
 * schema's keys. The type assertions are checked by `tsc --noEmit`; the value assertions at run time.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ContextTier, DatabaseType, EntityMapping, FetchTier, Tier } from '../../runtime/index.js';
import type { CollectionDatabaseType, CollectionTier, TiersByDatabaseType } from '../../runtime/schema/placement.js';
import { TIERS_BY_DATABASE_TYPE } from '../../runtime/schema/placement.js';
import { chronosConfigSchema } from '../../runtime/config/schema.js';
import {
  ALL_TIERS,
  CONFIG_DATABASE_TYPES,
  DATABASE_VOCABULARY,
  ROUTED_DATABASE_TYPES,
  SCOPED_TIERS,
  STORAGE_DATABASE_TYPES,
  TIER_VOCABULARY,
  VERSIONED_DATABASE_TYPES,
  type AnyTier,
  type ConfigDatabaseType,
} from '../../runtime/config/vocabulary.js';

describe('the public unions are the vocabulary and keep their API values', () => {
  it('derive DatabaseType, Tier and ContextTier from it', () => {
    expectTypeOf<DatabaseType>().toEqualTypeOf<'metadata' | 'knowledge' | 'runtime' | 'logs' | 'identities'>();
    expectTypeOf<DatabaseType>().toEqualTypeOf<(typeof ROUTED_DATABASE_TYPES)[number]>();
    expectTypeOf<Tier>().toEqualTypeOf<'generic' | 'domain' | 'tenant'>();
    expectTypeOf<Tier>().toEqualTypeOf<(typeof SCOPED_TIERS)[number]>();
    expectTypeOf<ContextTier>().toEqualTypeOf<'generic' | 'domain' | 'tenant' | 'single'>();
    expectTypeOf<ContextTier>().toEqualTypeOf<AnyTier>();
    expectTypeOf<FetchTier>().toEqualTypeOf<Tier>();
  });

  it('derive the placement unions and the tiers of each versioned type from it', () => {
    expectTypeOf<CollectionDatabaseType>().toEqualTypeOf<'metadata' | 'knowledge' | 'runtime' | 'logs'>();
    expectTypeOf<CollectionDatabaseType>().toEqualTypeOf<(typeof VERSIONED_DATABASE_TYPES)[number]>();
    expectTypeOf<CollectionTier>().toEqualTypeOf<AnyTier>();
    expectTypeOf<TiersByDatabaseType['metadata']>().toEqualTypeOf<'generic' | 'domain' | 'tenant'>();
    expectTypeOf<TiersByDatabaseType['knowledge']>().toEqualTypeOf<'generic' | 'domain' | 'tenant'>();
    expectTypeOf<TiersByDatabaseType['runtime']>().toEqualTypeOf<'tenant'>();
    expectTypeOf<TiersByDatabaseType['logs']>().toEqualTypeOf<'single'>();
    expectTypeOf<keyof TiersByDatabaseType>().toEqualTypeOf<CollectionDatabaseType>();
  });

  it('derive the targets an entity mapping may name from it', () => {
    expectTypeOf<NonNullable<EntityMapping['databaseType']>>().toEqualTypeOf<ConfigDatabaseType>();
    expectTypeOf<NonNullable<EntityMapping['tier']>>().toEqualTypeOf<AnyTier>();
  });

  it('hold the same values at run time as the types say', () => {
    expect(CONFIG_DATABASE_TYPES).toEqual(['metadata', 'knowledge', 'runtime', 'logs', 'messaging', 'identities']);
    expect(ROUTED_DATABASE_TYPES).toEqual(['metadata', 'knowledge', 'runtime', 'logs', 'identities']);
    expect(VERSIONED_DATABASE_TYPES).toEqual(['metadata', 'knowledge', 'runtime', 'logs']);
    expect(STORAGE_DATABASE_TYPES).toEqual(['metadata', 'knowledge', 'runtime', 'logs']);
    expect(ALL_TIERS).toEqual(['generic', 'domain', 'tenant', 'single']);
    expect(SCOPED_TIERS).toEqual(['generic', 'domain', 'tenant']);
    expect(TIERS_BY_DATABASE_TYPE).toEqual({
      metadata: ['generic', 'domain', 'tenant'],
      knowledge: ['generic', 'domain', 'tenant'],
      runtime: ['tenant'],
      logs: ['single'],
    });
  });
});

describe('the config schema has a section per database type and a key per tier', () => {
  const databases = chronosConfigSchema.shape.databases.shape;
  const keysOf = (schema: z.ZodType): string[] => {
    const inner = (schema as unknown as { unwrap(): { shape?: Record<string, unknown> } }).unwrap();
    return Object.keys(inner.shape ?? {});
  };

  it('has exactly the vocabulary database types under databases', () => {
    expect(Object.keys(databases)).toEqual(CONFIG_DATABASE_TYPES);
  });

  it.each(CONFIG_DATABASE_TYPES.filter((type) => DATABASE_VOCABULARY[type].tiers.some((tier) => tier !== 'single')))(
    'lists the databases of %s under the config keys of its tiers',
    (type) => {
      const expected = DATABASE_VOCABULARY[type].tiers.map((tier: AnyTier) => TIER_VOCABULARY[tier].configKey);
      expect(keysOf(databases[type])).toEqual(expected);
    },
  );
});
