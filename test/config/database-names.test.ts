/**
 * A database name the server would refuse is a ConfigError at `initChronos`
 * naming its config path, not a raw driver error at the first write.
 */
import { describe, expect, it } from 'vitest';
import { initChronos } from '../../runtime/chronos.js';
import { ConfigError } from '../../runtime/errors.js';
import { testConfig } from '../support/chronos-config.js';
import { testServers } from '../support/servers.js';
import { MongoClient } from 'mongodb';

function configError(mutate: (config: ReturnType<typeof testConfig>) => void): ConfigError {
  const config = testConfig('local');
  mutate(config);
  try {
    initChronos(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('database names the server refuses are ConfigErrors naming the path', () => {
  const refused = ['acme(demo)', 'a+b', 'a/b', 'a\\b', 'a.b', 'a b', 'a"b', 'a$b', 'a*b', 'a<b', 'a>b', 'a:b', 'a|b', 'a?b', 'a\u0000b', 'é', '', 'x'.repeat(64)];

  it.each(refused.map((name) => [JSON.stringify(name).slice(0, 24), name]))('refuses %s as a tenant dbName', (_label, name) => {
    const error = configError((c) => {
      c.databases.runtime!.tenantDatabases![0]!.dbName = name;
    });
    expect(error.issues.map((i) => i.path.join('.'))).toContain('databases.runtime.tenantDatabases.0.dbName');
  });

  it('names every kind of database entry', () => {
    const error = configError((c) => {
      c.databases.runtime!.tenantDatabases![1]!.analyticsDbName = 'an+lytics';
      c.databases.metadata!.genericDatabase!.dbName = 'meta(generic)';
      c.databases.knowledge!.domainsDatabases![0]!.dbName = 'kn retail';
      c.databases.logs!.dbName = 'logs.v1';
      c.databases.messaging!.dbName = 'msg$';
      c.databases.identities!.dbName = 'id/x';
    });
    expect(error.issues.map((i) => i.path.join('.')).sort()).toEqual(
      [
        'databases.identities.dbName',
        'databases.knowledge.domainsDatabases.0.dbName',
        'databases.logs.dbName',
        'databases.messaging.dbName',
        'databases.metadata.genericDatabase.dbName',
        'databases.runtime.tenantDatabases.1.analyticsDbName',
      ].sort(),
    );
    expect(error.message).toContain('A-Z a-z 0-9 _ -');
  });

  it('accepts 63 characters of letters, digits, _ and -, which the test server does accept', async () => {
    const name = `Ok-${'x'.repeat(56)}_${Date.now().toString(36)}`.slice(0, 63);
    const config = testConfig('local');
    config.databases.identities!.dbName = name;
    const chronos = initChronos(config);
    const users = chronos.with({ databaseType: 'identities', tenantId: 'acme', collection: 'users' });
    await users.create({ email: 'a@acme.test' });
    await chronos.admin.shutdown();
    // The server itself refuses the first character the rule refuses (this is why the rule exists).
    const client = new MongoClient(testServers().mongoUri);
    try {
      await expect(client.db('acme(demo)').collection('t').insertOne({ a: 1 })).rejects.toThrow();
    } finally {
      await client.close();
    }
  });
});
