/**
 * A ChronosConfig over the real test servers, with fresh database and bucket names, so each
 * suite has its own tenants and never sees another suite's data.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChronosConfig } from '../../runtime/config/schema.js';
import { testServers, uniqueName } from './servers.js';

/** Which storage a test config routes payloads to. */
export type TestStorage = 'local' | 's3' | 'azure';

function bucketName(prefix: string): string {
  return uniqueName(prefix).replace(/_/g, '-').slice(0, 63);
}

/**
 * Two runtime tenants (`acme`, `globex`) with analytics databases, metadata and knowledge in all
 * three tiers (domain `retail`, tenant `acme`), logs, messaging and identities.
 */
export function testConfig(storage: TestStorage, overrides: Partial<ChronosConfig> = {}): ChronosConfig {
  const servers = testServers();
  const prefix = uniqueName('chr');
  const entry = (name: string) => ({
    dbConnRef: 'mongo',
    dbName: `${prefix}_${name}`,
    ...(storage === 'local' ? {} : { spaceConnRef: storage, bucket: bucketName(`b-${name.replace(/_/g, '-')}`) }),
  });
  const tiered = {
    genericDatabase: entry('generic'),
    domainsDatabases: [{ domain: 'retail', ...entry('dom_retail') }],
    tenantDatabases: [{ tenantId: 'acme', ...entry('ten_acme') }],
  };
  return {
    dbConnections: { mongo: { mongoUri: servers.mongoUri } },
    spacesConnections:
      storage === 's3'
        ? { s3: { endpoint: servers.s3.endpoint, region: servers.s3.region, accessKey: servers.s3.accessKey, secretKey: servers.s3.secretKey } }
        : storage === 'azure'
          ? { azure: { kind: 'azure', endpoint: servers.azure.endpoint, region: 'local', accessKey: servers.azure.account, secretKey: servers.azure.key } }
          : {},
    ...(storage === 'local' && { localStorage: { enabled: true, basePath: mkdtempSync(join(tmpdir(), 'chronos-')) } }),
    databases: {
      metadata: { ...tiered, genericDatabase: entry('meta_generic'), domainsDatabases: [{ domain: 'retail', ...entry('meta_retail') }], tenantDatabases: [{ tenantId: 'acme', ...entry('meta_acme') }] },
      knowledge: { ...tiered, genericDatabase: entry('kn_generic'), domainsDatabases: [{ domain: 'retail', ...entry('kn_retail') }], tenantDatabases: [{ tenantId: 'acme', ...entry('kn_acme') }] },
      runtime: {
        tenantDatabases: [
          { tenantId: 'acme', ...entry('rt_acme'), analyticsDbName: `${prefix}_an_acme` },
          { tenantId: 'globex', ...entry('rt_globex'), analyticsDbName: `${prefix}_an_globex` },
        ],
      },
      logs: entry('logs'),
      messaging: { dbConnRef: 'mongo', dbName: `${prefix}_messaging`, captureDeliveries: true },
      identities: { dbConnRef: 'mongo', dbName: `${prefix}_identities` },
    },
    collectionMaps: {
      orders: { indexedProps: ['orderId', 'status', 'customerId'] },
      customers: { indexedProps: ['customerId'] },
      products: { indexedProps: ['productId'] },
      settings: { indexedProps: ['key'] },
      users: { indexedProps: ['email'] },
    },
    ...overrides,
  };
}
