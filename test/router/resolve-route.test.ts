import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { RouteError, ValidationError } from '../../runtime/errors.js';
import { resolveRoute } from '../../runtime/router/resolve-route.js';
import { listDatabaseTargets } from '../../runtime/router/database-targets.js';
import { quickStartConfig } from '../support/configs.js';

const config = parseConfig(quickStartConfig());

describe('resolveRoute: each context reaches exactly one database and bucket', () => {
  it('routes a runtime tenant to its database, bucket and analytics database', () => {
    const route = resolveRoute(config, { databaseType: 'runtime', tier: 'tenant', tenantId: 'tenant-a', collection: 'users' });
    expect(route).toEqual({
      databaseType: 'runtime',
      tier: 'tenant',
      tenantId: 'tenant-a',
      collection: 'users',
      mongo: { connRef: 'mongo-primary', uri: 'mongodb://127.0.0.1:27017', dbName: 'chronos_runtime_tenant_a' },
      storage: { kind: 'space', connRef: 's3-primary', bucket: 'chronos-runtime-tenant-a' },
      analyticsDbName: 'chronos_analytics_tenant_a',
    });
  });

  it('routes the generic, domain and tenant tiers of metadata to their own databases', () => {
    const generic = resolveRoute(config, { databaseType: 'metadata', tier: 'generic', collection: 'config' });
    const domain = resolveRoute(config, { databaseType: 'metadata', tier: 'domain', domain: 'healthcare', collection: 'config' });
    const tenant = resolveRoute(config, { databaseType: 'metadata', tier: 'tenant', tenantId: 'tenant-a', collection: 'config' });
    expect([generic.mongo.dbName, domain.mongo.dbName, tenant.mongo.dbName]).toEqual([
      'chronos_metadata_generic',
      'chronos_metadata_healthcare',
      'chronos_metadata_tenant_a',
    ]);
    expect(generic.tenantId).toBeUndefined();
    expect(domain.domain).toBe('healthcare');
  });

  it('does not carry a tenantId into a generic-tier route', () => {
    const route = resolveRoute(config, { databaseType: 'knowledge', tier: 'generic', tenantId: 'tenant-a', collection: 'kb' });
    expect(route.mongo.dbName).toBe('chronos_knowledge_generic');
    expect(route.tenantId).toBeUndefined();
  });

  it('routes logs to the one logs database', () => {
    expect(resolveRoute(config, { databaseType: 'logs', collection: 'audit' }).mongo.dbName).toBe('chronos_logs');
  });

  it('accepts a dbName only when it is the resolved database', () => {
    const ctx = { databaseType: 'runtime' as const, tier: 'tenant' as const, tenantId: 'tenant-a', collection: 'users' };
    expect(resolveRoute(config, { ...ctx, dbName: 'chronos_runtime_tenant_a' }).mongo.dbName).toBe('chronos_runtime_tenant_a');
    expect(() => resolveRoute(config, { ...ctx, dbName: 'chronos_runtime_tenant_b' })).toThrow(RouteError);
  });
});

describe('resolveRoute: unknown contexts are typed errors listing what is configured', () => {
  it('names an unknown tenant and the configured ones', () => {
    expect(() => resolveRoute(config, { databaseType: 'runtime', tier: 'tenant', tenantId: 'tenant-z', collection: 'users' })).toThrow(
      new RouteError('unknown tenant "tenant-z" for runtime (configured: tenant-a, tenant-b)'),
    );
  });

  it('names an unknown domain', () => {
    expect(() => resolveRoute(config, { databaseType: 'metadata', tier: 'domain', domain: 'finance', collection: 'c' })).toThrow(/unknown domain "finance".*healthcare/);
  });

  it('refuses a tier that runtime does not have', () => {
    expect(() => resolveRoute(config, { databaseType: 'runtime', tier: 'generic', tenantId: 'tenant-a', collection: 'c' })).toThrow(RouteError);
  });

  it('refuses a tiered database type without a tier', () => {
    expect(() => resolveRoute(config, { databaseType: 'metadata', collection: 'c' })).toThrow(/needs a tier/);
  });

  it('refuses a database type that is not configured', () => {
    expect(() => resolveRoute(config, { databaseType: 'identities', tenantId: 'tenant-a', collection: 'users' })).toThrow(/identities is not configured/);
  });

  it('refuses malformed contexts with a ValidationError naming the field', () => {
    const bad = () => resolveRoute(config, { databaseType: 'runtime', tenantId: 'tenant-a', collection: '../etc' });
    expect(bad).toThrow(ValidationError);
    expect(bad).toThrow(/collection/);
    expect(() => resolveRoute(config, { databaseType: 'nosql' as never, collection: 'c' })).toThrow(/databaseType/);
  });
});

describe('listDatabaseTargets', () => {
  it('lists every database of every tier once, with analytics databases', () => {
    const targets = listDatabaseTargets(config).map((t) => `${t.databaseType}/${t.tier}/${t.tenantId ?? t.domain ?? '-'}/${t.dbName}`);
    expect(targets).toEqual([
      'metadata/generic/-/chronos_metadata_generic',
      'metadata/domain/healthcare/chronos_metadata_healthcare',
      'metadata/tenant/tenant-a/chronos_metadata_tenant_a',
      'knowledge/generic/-/chronos_knowledge_generic',
      'runtime/tenant/tenant-a/chronos_runtime_tenant_a',
      'analytics/tenant/tenant-a/chronos_analytics_tenant_a',
      'runtime/tenant/tenant-b/chronos_runtime_tenant_b',
      'analytics/tenant/tenant-b/chronos_analytics_tenant_b',
      'logs/single/-/chronos_logs',
    ]);
  });
});

describe('resolveRoute: single-database types', () => {
  it('routes logs with tier "single" or no tier, and refuses another tier', () => {
    expect(resolveRoute(config, { databaseType: 'logs', tier: 'single', collection: 'audit' }).mongo.dbName).toBe('chronos_logs');
    expect(() => resolveRoute(config, { databaseType: 'logs', tier: 'tenant', collection: 'audit' })).toThrow(/one database/);
  });

  it('refuses tier "single" for a tiered database type', () => {
    expect(() => resolveRoute(config, { databaseType: 'metadata', tier: 'single', collection: 'c' })).toThrow(/no single database/);
  });
});
