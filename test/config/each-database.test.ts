/**
 * `eachDatabase` is the one walk over `databases`: it must visit every configured database once,
 * with the type, tier, scope and path the rest of the code reports.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runtime/config/parse-config.js';
import { eachDatabase } from '../../runtime/config/each-database.js';
import { quickStartConfig } from '../support/configs.js';

/** A config with every database type and several entries in every list tier. */
function fullConfig() {
  const base = quickStartConfig();
  const entry = (name: string) => ({ dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: `b-${name.replace(/_/g, '-')}`, dbName: name });
  base.databases.knowledge = {
    genericDatabase: entry('kn_generic'),
    domainsDatabases: [{ domain: 'retail', ...entry('kn_retail') }, { domain: 'health', ...entry('kn_health') }],
    tenantDatabases: [{ tenantId: 'acme', ...entry('kn_acme') }],
  };
  base.databases.messaging = { dbConnRef: 'mongo-primary', dbName: 'msg' };
  base.databases.identities = { dbConnRef: 'mongo-primary', dbName: 'ids' };
  return parseConfig(base);
}

/** Every object under `databases` that names a dbName, found by a plain recursive search (independent of the vocabulary). */
function objectsWithDbName(value: unknown, found: object[] = []): object[] {
  if (Array.isArray(value)) for (const item of value) objectsWithDbName(item, found);
  else if (typeof value === 'object' && value !== null) {
    if ('dbName' in value) found.push(value);
    for (const child of Object.values(value)) objectsWithDbName(child, found);
  }
  return found;
}

describe('eachDatabase', () => {
  it('visits every database of a full config exactly once', () => {
    const config = fullConfig();
    const visited = [...eachDatabase(config)].map((db) => db.settings);
    const configured = objectsWithDbName(config.databases);
    expect(configured).toHaveLength(12);
    expect(visited).toHaveLength(configured.length);
    expect(new Set(visited).size).toBe(visited.length);
    for (const settings of configured) expect(visited.filter((v) => v === settings)).toHaveLength(1);
  });

  it('labels each database with its type, tier, scope and config path, in config order', () => {
    const labels = [...eachDatabase(fullConfig())].map(
      (db) => `${db.databaseType}/${db.tier}/${db.tenantId ?? db.domain ?? '-'} at ${db.path.join('.')} = ${db.settings.dbName}`,
    );
    expect(labels).toEqual([
      'metadata/generic/- at databases.metadata.genericDatabase = chronos_metadata_generic',
      'metadata/domain/healthcare at databases.metadata.domainsDatabases.0 = chronos_metadata_healthcare',
      'metadata/tenant/tenant-a at databases.metadata.tenantDatabases.0 = chronos_metadata_tenant_a',
      'knowledge/generic/- at databases.knowledge.genericDatabase = kn_generic',
      'knowledge/domain/retail at databases.knowledge.domainsDatabases.0 = kn_retail',
      'knowledge/domain/health at databases.knowledge.domainsDatabases.1 = kn_health',
      'knowledge/tenant/acme at databases.knowledge.tenantDatabases.0 = kn_acme',
      'runtime/tenant/tenant-a at databases.runtime.tenantDatabases.0 = chronos_runtime_tenant_a',
      'runtime/tenant/tenant-b at databases.runtime.tenantDatabases.1 = chronos_runtime_tenant_b',
      'logs/single/- at databases.logs = chronos_logs',
      'messaging/single/- at databases.messaging = msg',
      'identities/single/- at databases.identities = ids',
    ]);
  });

  it('walks one database type when asked, and nothing of a type that is not configured', () => {
    const config = fullConfig();
    expect([...eachDatabase(config, 'runtime')].map((db) => db.tenantId)).toEqual(['tenant-a', 'tenant-b']);
    const { messaging: _messaging, ...withoutMessaging } = config.databases;
    expect([...eachDatabase({ ...config, databases: withoutMessaging }, 'messaging')]).toEqual([]);
  });
});
