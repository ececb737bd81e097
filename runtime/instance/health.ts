/**
 * `chronos.admin.health()`: one round trip to every Mongo connection and every storage backend
 * the config uses, timed. Failures are reported, not thrown, so a dashboard can show them all.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { redactSecrets } from '../security/redact-secrets.js';

/** The state of one backend. */
export interface BackendHealth {
  /** `dbConnections` / `spacesConnections` key, or `localStorage`. */
  name: string;
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** What {@link checkHealth} found; `ok` is true when every backend answered. */
export interface HealthReport {
  ok: boolean;
  mongo: BackendHealth[];
  storage: BackendHealth[];
  checkedAt: string;
}

async function timed(name: string, probe: () => Promise<unknown>): Promise<BackendHealth> {
  const started = performance.now();
  try {
    await probe();
    return { name, ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { name, ok: false, latencyMs: Math.round((performance.now() - started) * 10) / 10, error: redactSecrets(error instanceof Error ? error.message : String(error)) };
  }
}

/** One bucket per storage connection, to probe it with. */
function bucketsByConnection(config: ParsedChronosConfig): Map<string | undefined, string> {
  const byConn = new Map<string | undefined, string>();
  const entries = [
    ...(['metadata', 'knowledge'] as const).flatMap((type) => {
      const tiered = config.databases[type];
      if (!tiered) return [];
      return [...(tiered.genericDatabase ? [tiered.genericDatabase] : []), ...tiered.domainsDatabases, ...tiered.tenantDatabases];
    }),
    ...(config.databases.runtime?.tenantDatabases ?? []),
    ...(config.databases.logs ? [config.databases.logs] : []),
  ];
  for (const entry of entries) {
    const bucket = entry.bucket ?? entry.dbName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    if (config.localStorage?.enabled) {
      if (!byConn.has(undefined)) byConn.set(undefined, bucket);
      continue;
    }
    const refs = entry.spaceConnRef === undefined ? [] : Array.isArray(entry.spaceConnRef) ? entry.spaceConnRef : [entry.spaceConnRef];
    for (const ref of refs) if (!byConn.has(ref)) byConn.set(ref, bucket);
  }
  return byConn;
}

/** Pings every configured Mongo connection and storage backend in parallel. */
export async function checkHealth(config: ParsedChronosConfig, pool: ConnectionPool): Promise<HealthReport> {
  const uris = new Map<string, string>();
  for (const target of listDatabaseTargets(config)) if (!uris.has(target.dbConnRef)) uris.set(target.dbConnRef, target.mongoUri);
  const mongo = Promise.all(
    [...uris].map(([name, uri]) => timed(name, () => pool.mongoClient(uri).db('admin').command({ ping: 1 }))),
  );
  const storage = Promise.all(
    [...bucketsByConnection(config)].map(([connRef, bucket]) =>
      timed(connRef ?? 'localStorage', async () => {
        // A HEAD of a key that never exists: proves address and credentials, creates nothing.
        await pool.objectStore(connRef).head(bucket, '.chronos-health-probe');
      }),
    ),
  );
  const report = { mongo: await mongo, storage: await storage, checkedAt: new Date().toISOString() };
  return { ok: [...report.mongo, ...report.storage].every((b) => b.ok), ...report };
}
