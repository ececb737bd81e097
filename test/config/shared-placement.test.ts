/**
 * Databases that would write to the same place are refused when the config is parsed: one
 * storage location without distinct `keyPrefix`es (S3, Azure, the local folder), and one
 * database name on one MongoDB server. Each refusal names both config paths and the fix.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runtime/config/parse-config.js';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { mongoServerHosts, storageEndpointKey } from '../../runtime/config/server-addresses.js';
import { ConfigError } from '../../runtime/errors.js';
import { quickStartConfig } from '../support/configs.js';

function refusal(config: ChronosConfig): ConfigError {
  try {
    parseConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The Quick Start config with its two runtime tenants on one S3 bucket. */
function sharedBucket(prefixes: [string | undefined, string | undefined] = [undefined, undefined]): ChronosConfig {
  const config = quickStartConfig();
  const [a, b] = config.databases.runtime!.tenantDatabases!;
  config.databases.runtime!.tenantDatabases = [
    { ...a!, bucket: 'shared-bucket', ...(prefixes[0] !== undefined && { keyPrefix: prefixes[0] }) },
    { ...b!, bucket: 'shared-bucket', ...(prefixes[1] !== undefined && { keyPrefix: prefixes[1] }) },
  ];
  return config;
}

const T0 = 'databases.runtime.tenantDatabases[0]';
const T1 = 'databases.runtime.tenantDatabases[1]';

describe('keyPrefix values', () => {
  const refused = ['', 'a/b', '/acme', 'acme/', '..', 'a..b', 'a.b', 'a b', 'é', 'a\u0000b', 'x'.repeat(64)];
  it.each(refused.map((p) => [JSON.stringify(p).slice(0, 20), p]))('refuses %s naming the path', (_label, prefix) => {
    const config = quickStartConfig();
    config.databases.runtime!.tenantDatabases![0]!.keyPrefix = prefix;
    const error = refusal(config);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['databases.runtime.tenantDatabases.0.keyPrefix']);
    expect(error.message).toContain('A-Z a-z 0-9 _ -');
  });

  it('accepts 1 to 63 of letters, digits, _ and - on every kind of storage entry', () => {
    const config = quickStartConfig();
    const dbs = config.databases;
    dbs.runtime!.tenantDatabases![0]!.keyPrefix = 'A';
    dbs.runtime!.tenantDatabases![1]!.keyPrefix = `Tenant_b-${'x'.repeat(54)}`;
    dbs.metadata!.genericDatabase!.keyPrefix = 'meta';
    dbs.metadata!.domainsDatabases![0]!.keyPrefix = 'health-care';
    dbs.metadata!.tenantDatabases![0]!.keyPrefix = 'tenant_a';
    dbs.knowledge!.genericDatabase!.keyPrefix = '0';
    dbs.logs!.keyPrefix = 'logs';
    const parsed = parseConfig(config);
    expect(parsed.databases.runtime?.tenantDatabases[1]?.keyPrefix).toHaveLength(63);
    expect(parsed.databases.logs?.keyPrefix).toBe('logs');
  });
});

describe('one object-storage location', () => {
  it('refuses two databases on one bucket without keyPrefix, naming both paths and the fix', () => {
    const error = refusal(sharedBucket());
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path.join('.')).toBe('databases.runtime.tenantDatabases.1');
    expect(error.message).toContain(T1);
    expect(error.message).toContain(T0);
    expect(error.message).toContain('bucket "shared-bucket" at localhost:7070');
    expect(error.message).toContain(
      `give each a distinct keyPrefix (for example keyPrefix: 'chronos_runtime_tenant_b' at ${T1} and keyPrefix: 'chronos_runtime_tenant_a' at ${T0})`,
    );
  });

  it('suggests prefixes that differ when the two databases have one name (on different servers)', () => {
    const config = sharedBucket();
    config.databases.runtime!.tenantDatabases![1]!.dbName = 'chronos_runtime_tenant_a';
    expect(refusal(config).message).toContain(
      `for example keyPrefix: 'chronos_runtime_tenant_a' at ${T1} and keyPrefix: 'chronos_runtime_tenant_a_2' at ${T0}`,
    );
    const prefixed = sharedBucket([undefined, 'chronos_runtime_tenant_a']);
    expect(refusal(prefixed).message).toContain(`for example keyPrefix: 'chronos_runtime_tenant_a_2' at ${T0})`);
  });

  it('accepts the same bucket with distinct key prefixes', () => {
    const parsed = parseConfig(sharedBucket(['tenant-a', 'tenant-b']));
    expect(parsed.databases.runtime?.tenantDatabases.map((t) => t.keyPrefix)).toEqual(['tenant-a', 'tenant-b']);
  });

  it('refuses equal key prefixes, compared ignoring case', () => {
    const error = refusal(sharedBucket(['Acme', 'acme']));
    expect(error.message).toContain(`${T1}: stores its objects in the same place as ${T0}`);
    expect(error.message).toContain('both have keyPrefix "acme"');
    expect(error.message).toContain(`keyPrefix: 'chronos_runtime_tenant_b' at ${T1}`);
  });

  it('refuses a database without keyPrefix beside one with a keyPrefix (its collections could be named like the prefix)', () => {
    for (const prefixes of [['orders', undefined], [undefined, 'orders']] as const) {
      const error = refusal(sharedBucket([prefixes[0], prefixes[1]]));
      expect(error.message).toContain('has no keyPrefix, so its keys start with a collection name');
      expect(error.message).toContain(T0);
      expect(error.message).toContain(T1);
    }
  });

  it('compares the location, not the connection name: two entries spelling one endpoint differently are one bucket', () => {
    const config = sharedBucket();
    config.spacesConnections!['s3-again'] = { endpoint: 'HTTP://LocalHost:7070/', region: 'eu-west-1', accessKey: 'other', secretKey: 'x' };
    config.databases.runtime!.tenantDatabases![1]!.spaceConnRef = 's3-again';
    const error = refusal(config);
    expect(error.message).toContain(T0);
    expect(error.message).toContain('bucket "shared-bucket" at localhost:7070');
  });

  it('finds the clash through any connection of a database that spreads over several', () => {
    const config = sharedBucket();
    config.spacesConnections!['s3-other'] = { endpoint: 'http://10.0.0.9:7070', region: 'us-east-1', accessKey: 'k', secretKey: 's' };
    config.databases.runtime!.tenantDatabases![0]!.spaceConnRef = ['s3-other', 's3-primary'];
    expect(refusal(config).message).toContain(T0);
  });

  it('accepts one bucket name on two different endpoints', () => {
    const config = sharedBucket();
    config.spacesConnections!['s3-other'] = { endpoint: 'http://10.0.0.9:7070', region: 'us-east-1', accessKey: 'k', secretKey: 's' };
    config.databases.runtime!.tenantDatabases![1]!.spaceConnRef = 's3-other';
    expect(() => parseConfig(config)).not.toThrow();
  });

  it('treats an Azure container as one per account', () => {
    const config = sharedBucket();
    config.spacesConnections = {
      ...config.spacesConnections,
      az1: { kind: 'azure', endpoint: 'http://127.0.0.1:10000/devstoreaccount1', accessKey: 'devstoreaccount1', secretKey: 'k' },
      az2: { kind: 'azure', endpoint: 'http://localhost:10000/devstoreaccount1/', accessKey: 'devstoreaccount1', secretKey: 'k' },
    };
    config.databases.runtime!.tenantDatabases![0]!.spaceConnRef = 'az1';
    config.databases.runtime!.tenantDatabases![1]!.spaceConnRef = 'az2';
    expect(refusal(config).message).toContain('Azure container "shared-bucket" of account "devstoreaccount1"');

    config.spacesConnections.az2 = { kind: 'azure', endpoint: 'https://other.blob.core.windows.net', accessKey: 'other', secretKey: 'k' };
    expect(() => parseConfig(config)).not.toThrow();
  });

  it('covers every tier and the logs database', () => {
    const config = quickStartConfig();
    config.databases.logs!.bucket = 'chronos-metadata';
    const error = refusal(config);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['databases.logs']);
    expect(error.message).toContain('same place as databases.metadata.genericDatabase');
  });
});

describe('the local folder', () => {
  /** Two runtime tenants on local storage (no bucket: the folder is derived from dbName), on different Mongo servers. */
  function local(names: [string, string], prefixes: [string | undefined, string | undefined] = [undefined, undefined]): ChronosConfig {
    const config = quickStartConfig();
    config.localStorage = { enabled: true, basePath: '/tmp/chronos-local' };
    const [a, b] = config.databases.runtime!.tenantDatabases!;
    config.databases.runtime!.tenantDatabases = [
      { tenantId: a!.tenantId, dbConnRef: 'mongo-primary', dbName: names[0], ...(prefixes[0] !== undefined && { keyPrefix: prefixes[0] }) },
      { tenantId: b!.tenantId, dbConnRef: 'mongo-analytics', dbName: names[1], ...(prefixes[1] !== undefined && { keyPrefix: prefixes[1] }) },
    ];
    return config;
  }

  it.each([
    ['lc_x', 'lc-x', 'lc-x'],
    ['Acme', 'acme', 'acme'],
    ['Tenant_One', 'tenant-one', 'tenant-one'],
  ])('refuses dbNames %s and %s, which derive one folder', (first, second, folder) => {
    const error = refusal(local([first, second]));
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['databases.runtime.tenantDatabases.1']);
    expect(error.message).toContain(`the local folder "${folder}" (derived from dbName "${second}")`);
    expect(error.message).toContain(T0);
    expect(error.message).toContain('give each a distinct keyPrefix');
  });

  it('refuses an explicit bucket equal to another database\'s derived folder', () => {
    const config = local(['lc_x', 'other']);
    config.databases.runtime!.tenantDatabases![1]!.bucket = 'lc-x';
    expect(refusal(config).message).toContain(`same place as ${T0}`);
  });

  it('accepts one folder with distinct key prefixes (each a sub-folder), and distinct folders', () => {
    expect(() => parseConfig(local(['lc_x', 'lc-x'], ['lc_x', 'lc-x']))).not.toThrow();
    expect(() => parseConfig(local(['lc_x', 'lc_y']))).not.toThrow();
  });

  it('refuses key prefixes that differ only in case (one sub-folder on case-insensitive filesystems)', () => {
    expect(refusal(local(['lc_x', 'lc-x'], ['Acme', 'ACME'])).message).toContain('both have keyPrefix "ACME"');
  });

  it('applies whenever localStorage is enabled, even to databases that name a storage connection', () => {
    const config = sharedBucket(['a', 'b']);
    config.localStorage = { enabled: true, basePath: '/tmp/chronos-local' };
    expect(() => parseConfig(config)).not.toThrow();
    config.databases.runtime!.tenantDatabases![1]!.keyPrefix = 'A';
    expect(refusal(config).message).toContain('the local folder "shared-bucket" under localStorage.basePath');
  });
});

describe('one database name on one MongoDB server', () => {
  it('refuses two database entries with one dbName on one connection, naming both paths', () => {
    const config = quickStartConfig();
    config.databases.metadata!.tenantDatabases![0]!.dbName = 'chronos_metadata_generic';
    const error = refusal(config);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['databases.metadata.tenantDatabases.0.dbName']);
    expect(error.message).toContain('as databases.metadata.genericDatabase.dbName does');
    expect(error.message).toContain('on the MongoDB server localhost:27017');
    expect(error.message).toContain('give each its own dbName');
  });

  it('compares servers, not connection names, and names ignoring case', () => {
    const config = quickStartConfig();
    config.dbConnections['same-server'] = { mongoUri: 'mongodb://user:p%40ss@LOCALHOST/?authSource=admin' };
    config.databases.knowledge!.genericDatabase = { ...config.databases.knowledge!.genericDatabase!, dbConnRef: 'same-server', dbName: 'Chronos_Metadata_Generic' };
    const error = refusal(config);
    expect(error.message).toContain('databases.knowledge.genericDatabase.dbName: names database "Chronos_Metadata_Generic" on the MongoDB server localhost:27017, as databases.metadata.genericDatabase.dbName does');
  });

  it('finds a replica set named by an overlapping host list', () => {
    const config = quickStartConfig();
    config.dbConnections['rs-a'] = { mongoUri: 'mongodb://db1.example:27017,db2.example:27017/?replicaSet=rs' };
    config.dbConnections['rs-b'] = { mongoUri: 'mongodb://db2.example,db3.example/?replicaSet=rs' };
    config.databases.runtime!.tenantDatabases![0]!.dbConnRef = 'rs-a';
    config.databases.runtime!.tenantDatabases![1]!.dbConnRef = 'rs-b';
    config.databases.runtime!.tenantDatabases![1]!.dbName = 'chronos_runtime_tenant_a';
    expect(refusal(config).message).toContain('on the MongoDB server db2.example:27017');
  });

  it('accepts one dbName on two different servers', () => {
    const config = quickStartConfig();
    config.databases.runtime!.tenantDatabases![1]!.dbName = 'chronos_runtime_tenant_a';
    expect(config.databases.runtime!.tenantDatabases![1]!.dbConnRef).toBe('mongo-analytics');
    expect(() => parseConfig(config)).not.toThrow();
  });

  it('covers messaging and identities', () => {
    const config = quickStartConfig();
    config.databases.messaging = { dbConnRef: 'mongo-primary', dbName: 'chronos_logs' };
    config.databases.identities = { dbConnRef: 'mongo-primary', dbName: 'chronos_logs' };
    const error = refusal(config);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['databases.messaging.dbName', 'databases.identities.dbName']);
  });

  it('lets runtime tenants share an analyticsDbName (documents there are keyed by tenant and database)', () => {
    const config = quickStartConfig();
    const [a, b] = config.databases.runtime!.tenantDatabases!;
    b!.dbConnRef = 'mongo-primary';
    a!.analyticsDbName = 'chronos_analytics';
    b!.analyticsDbName = 'chronos_analytics';
    expect(() => parseConfig(config)).not.toThrow();
  });

  it('refuses an analyticsDbName equal to a versioned database on the same server', () => {
    const config = quickStartConfig();
    config.databases.runtime!.tenantDatabases![0]!.analyticsDbName = 'chronos_runtime_tenant_a';
    const error = refusal(config);
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['databases.runtime.tenantDatabases.0.analyticsDbName']);
    expect(error.message).toContain('as databases.runtime.tenantDatabases[0].dbName does');
  });
});

describe('address normal forms', () => {
  it('reduces MongoDB connection strings to their servers', () => {
    expect(mongoServerHosts('mongodb://u:p%2F%40@DB1.Example.com,db2.example.com:27018/app?replicaSet=rs')).toEqual(['db1.example.com:27017', 'db2.example.com:27018']);
    expect(mongoServerHosts('mongodb://127.0.0.1')).toEqual(['localhost:27017']);
    expect(mongoServerHosts('mongodb://[::1]:27019/?appName=x')).toEqual(['localhost:27019']);
    expect(mongoServerHosts('mongodb+srv://user@Cluster0.example.net/db')).toEqual(['srv:cluster0.example.net']);
  });

  it('reduces storage endpoints to host, port and path', () => {
    expect(storageEndpointKey('HTTPS://S3.Example.com/')).toBe('s3.example.com:443');
    expect(storageEndpointKey('https://s3.example.com:443')).toBe('s3.example.com:443');
    expect(storageEndpointKey('http://127.0.0.1:10000/devstoreaccount1/')).toBe('localhost:10000/devstoreaccount1');
  });
});
