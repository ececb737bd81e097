import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { ConfigError, isChronosError } from '../../runtime/errors.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { quickStartConfig } from '../support/configs.js';

function issuesOf(config: unknown): Array<{ path: string; message: string }> {
  try {
    parseConfig(config as ChronosConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: a valid configuration', () => {
  it('accepts the Quick Start shape of the chronos-db API and fills in the stated defaults', () => {
    const parsed = parseConfig(quickStartConfig());
    expect(parsed.logicalDelete.enabled).toBe(true);
    expect(parsed.versioning.enabled).toBe(true);
    expect(parsed.transactions).toEqual({ enabled: true, autoDetect: true });
    expect(parsed.fallback).toMatchObject({ enabled: true, maxRetries: 3, retryDelayMs: 1000, maxDelayMs: 60000, deadLetterCollection: 'chronos_fallback_dead' });
    expect(parsed.collectionMaps.users?.base64Props).toEqual({});
    expect(parsed.routing.hashAlgo).toBe('rendezvous');
  });

  it('defaults logicalDelete, versioning and routing when they are omitted', () => {
    const config = quickStartConfig();
    delete config.logicalDelete;
    delete config.versioning;
    delete config.routing;
    const parsed = parseConfig(config);
    expect(parsed.logicalDelete.enabled).toBe(true);
    expect(parsed.versioning.enabled).toBe(true);
    expect(parsed.routing.hashAlgo).toBe('rendezvous');
  });

  it('accepts local-folder storage with no spacesConnections and no spaceConnRef', () => {
    const parsed = parseConfig({
      dbConnections: { mongo: { mongoUri: 'mongodb://127.0.0.1:27017' } },
      spacesConnections: {},
      databases: { runtime: { tenantDatabases: [{ tenantId: 't1', dbConnRef: 'mongo', dbName: 'rt_t1' }] } },
      localStorage: { enabled: true, basePath: '/tmp/chronos' },
    });
    expect(parsed.databases.runtime?.tenantDatabases[0]?.spaceConnRef).toBeUndefined();
  });

  it('accepts a config that holds only the messaging database', () => {
    const parsed = parseConfig({
      dbConnections: { mongo: { mongoUri: 'mongodb://127.0.0.1:27017' } },
      spacesConnections: {},
      databases: { messaging: { dbConnRef: 'mongo', dbName: 'chronos_messaging' } },
    });
    expect(parsed.databases.messaging?.captureDeliveries).toBe(false);
  });

  it('accepts the same counter rules at the top level and under analytics', () => {
    const rules = [{ name: 'logins', on: ['CREATE' as const], scope: 'meta' as const, when: { action: 'login' }, countUnique: ['sessionId'] }];
    const config = { ...quickStartConfig(), counterRules: { rules }, analytics: { counterRules: rules } };
    expect(() => parseConfig(config)).not.toThrow();
  });
});

describe('parseConfig: writeOptimization batch sizes', () => {
  const parsedSizes = (writeOptimization: ChronosConfig['writeOptimization']) => parseConfig({ ...quickStartConfig(), writeOptimization }).writeOptimization;

  it('keeps createManyBatchSize and counterBatchSize apart', () => {
    expect(parsedSizes({ createManyBatchSize: 50, counterBatchSize: 700 })).toEqual({ createManyBatchSize: 50, counterBatchSize: 700 });
    expect(parsedSizes({ createManyBatchSize: 50 })).toEqual({ createManyBatchSize: 50 });
  });

  it('reads the deprecated batchSize of the chronos-db API as both sizes', () => {
    expect(parsedSizes({ batchSize: 1000, debounceMs: 100, compressionEnabled: true })).toEqual({ createManyBatchSize: 1000, counterBatchSize: 1000, debounceMs: 100, compressionEnabled: true });
  });

  it('lets each new name win over batchSize for its own use', () => {
    expect(parsedSizes({ batchSize: 1000, counterBatchSize: 20 })).toEqual({ createManyBatchSize: 1000, counterBatchSize: 20 });
    expect(parsedSizes({ batchSize: 1000, createManyBatchSize: 10 })).toEqual({ createManyBatchSize: 10, counterBatchSize: 1000 });
  });

  it('leaves both unset (the engine defaults) when none is given', () => {
    const config = quickStartConfig();
    delete config.writeOptimization;
    expect(parseConfig(config).writeOptimization).toEqual({});
  });

  it('names a size that is not a positive whole number', () => {
    expect(issuesOf({ ...quickStartConfig(), writeOptimization: { counterBatchSize: 0, createManyBatchSize: 1.5, batchSize: -1 } }).map((i) => i.path).sort()).toEqual([
      'writeOptimization.batchSize',
      'writeOptimization.counterBatchSize',
      'writeOptimization.createManyBatchSize',
    ]);
  });
});

describe('parseConfig: errors name the path and the fix', () => {
  it('names an unknown dbConnRef with the known connections', () => {
    const config = quickStartConfig();
    config.databases.runtime!.tenantDatabases![0]!.dbConnRef = 'mongo-x';
    expect(issuesOf(config)).toContainEqual({
      path: 'databases.runtime.tenantDatabases.0.dbConnRef',
      message: 'unknown connection "mongo-x" (known: mongo-primary, mongo-analytics)',
    });
  });

  it('formats the path the way users write it in the error message', () => {
    const config = quickStartConfig();
    config.databases.runtime!.tenantDatabases![0]!.dbConnRef = 'mongo-x';
    expect(() => parseConfig(config)).toThrow(/databases\.runtime\.tenantDatabases\[0\]\.dbConnRef: unknown connection "mongo-x"/);
  });

  it('names an unknown spaceConnRef', () => {
    const config = quickStartConfig();
    config.databases.logs!.spaceConnRef = 's3-nope';
    expect(issuesOf(config)).toContainEqual({ path: 'databases.logs.spaceConnRef', message: 'unknown connection "s3-nope" (known: s3-primary)' });
  });

  it('refuses a missing spaceConnRef unless local storage is enabled', () => {
    const config = quickStartConfig();
    delete config.databases.logs!.spaceConnRef;
    expect(issuesOf(config).map((i) => i.path)).toContain('databases.logs.spaceConnRef');
  });

  it('refuses duplicate tenants and domains within a tier', () => {
    const config = quickStartConfig();
    const tenants = config.databases.runtime!.tenantDatabases!;
    tenants.push({ ...tenants[0]!, bucket: 'other-bucket' });
    const domains = config.databases.metadata!.domainsDatabases!;
    domains.push({ ...domains[0]! });
    const paths = issuesOf(config).map((i) => i.path);
    expect(paths).toContain('databases.runtime.tenantDatabases.2.tenantId');
    expect(paths).toContain('databases.metadata.domainsDatabases.1.domain');
  });

  it('allows one tenantId in different database types', () => {
    expect(() => parseConfig(quickStartConfig())).not.toThrow();
  });

  it('refuses invalid bucket names', () => {
    const config = quickStartConfig();
    config.databases.logs!.bucket = 'Chronos_Logs';
    expect(issuesOf(config)).toContainEqual(expect.objectContaining({ path: 'databases.logs.bucket' }));
  });

  it('applies Azure container rules for an Azure connection', () => {
    const config = quickStartConfig();
    config.spacesConnections!['azure'] = { endpoint: 'https://acct.blob.core.windows.net', region: 'x', accessKey: 'acct', secretKey: 'key' };
    config.databases.logs!.spaceConnRef = 'azure';
    config.databases.logs!.bucket = 'chronos.logs';
    expect(issuesOf(config)[0]?.message).toMatch(/Azure container/);
  });

  it('refuses a misspelt option instead of ignoring it', () => {
    const config = { ...quickStartConfig(), logicalDelete: { enabled: true, enabeld: false } };
    expect(issuesOf(config)).toContainEqual({ path: 'logicalDelete', message: 'unknown option(s) "enabeld": remove or correct the spelling' });
  });

  it('refuses a malformed mongoUri and a missing required field', () => {
    const config = quickStartConfig();
    config.dbConnections['mongo-primary'] = { mongoUri: 'http://nope' };
    delete (config.databases.runtime!.tenantDatabases![1] as { dbName?: string }).dbName;
    const issues = issuesOf(config);
    expect(issues).toContainEqual({ path: 'dbConnections.mongo-primary.mongoUri', message: 'must start with mongodb:// or mongodb+srv://' });
    expect(issues).toContainEqual({ path: 'databases.runtime.tenantDatabases.1.dbName', message: 'is required (expected string)' });
  });

  it('refuses two different counter rule sets', () => {
    const config = {
      ...quickStartConfig(),
      counterRules: { rules: [{ name: 'a', when: {} }] },
      analytics: { counterRules: [{ name: 'b', when: {} }] },
    };
    expect(issuesOf(config).map((i) => i.path)).toContain('analytics.counterRules');
  });

  it('refuses a requiredIndexed prop that is not indexed', () => {
    const config = quickStartConfig();
    config.collectionMaps!['users'] = { indexedProps: ['email'], validation: { requiredIndexed: ['phone'] } };
    expect(issuesOf(config)).toContainEqual({
      path: 'collectionMaps.users.validation.requiredIndexed.0',
      message: '"phone" is not an indexed prop of users (indexed: email)',
    });
  });

  it('raises an error that survives the isChronosError check with a stable code', () => {
    try {
      parseConfig({} as ChronosConfig);
      expect.unreachable();
    } catch (error) {
      expect(isChronosError(error)).toBe(true);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    }
  });
});
