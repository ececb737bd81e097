/**
 * Small, valid configurations the config and routing suites start from; each test changes one
 * thing and checks what happens.
 */
import type { ChronosConfig } from '../../runtime/config/schema.js';

/** The Quick Start shape of the chronos-db API, with two tenants, a domain and local addresses. */
export function quickStartConfig(): ChronosConfig {
  return {
    dbConnections: {
      'mongo-primary': { mongoUri: 'mongodb://127.0.0.1:27017' },
      'mongo-analytics': { mongoUri: 'mongodb://127.0.0.2:27017' },
    },
    spacesConnections: {
      's3-primary': { endpoint: 'http://127.0.0.1:7070', region: 'us-east-1', accessKey: 'k', secretKey: 's' },
    },
    databases: {
      metadata: {
        genericDatabase: { dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: 'chronos-metadata', dbName: 'chronos_metadata_generic' },
        domainsDatabases: [
          { domain: 'healthcare', dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: 'chronos-metadata-healthcare', dbName: 'chronos_metadata_healthcare' },
        ],
        tenantDatabases: [
          { tenantId: 'tenant-a', dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: 'chronos-metadata-tenant-a', dbName: 'chronos_metadata_tenant_a' },
        ],
      },
      knowledge: {
        genericDatabase: { dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: 'chronos-knowledge', dbName: 'chronos_knowledge_generic' },
        domainsDatabases: [],
        tenantDatabases: [],
      },
      runtime: {
        tenantDatabases: [
          { tenantId: 'tenant-a', dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: 'chronos-runtime-tenant-a', dbName: 'chronos_runtime_tenant_a', analyticsDbName: 'chronos_analytics_tenant_a' },
          { tenantId: 'tenant-b', dbConnRef: 'mongo-analytics', spaceConnRef: 's3-primary', bucket: 'chronos-runtime-tenant-b', dbName: 'chronos_runtime_tenant_b', analyticsDbName: 'chronos_analytics_tenant_b' },
        ],
      },
      logs: { dbConnRef: 'mongo-primary', spaceConnRef: 's3-primary', bucket: 'chronos-logs', dbName: 'chronos_logs' },
    },
    routing: { hashAlgo: 'rendezvous' },
    retention: { ver: { days: 90 }, counters: { days: 30 } },
    collectionMaps: {
      users: { indexedProps: ['email', 'tenantId'] },
      orders: { indexedProps: ['orderId', 'customerId', 'tenantId'] },
    },
    logicalDelete: { enabled: true },
    versioning: { enabled: true },
    transactions: { enabled: true },
    writeOptimization: { batchSize: 1000, debounceMs: 100 },
    fallback: { enabled: true, maxRetries: 3 },
  };
}
