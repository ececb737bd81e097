/**
 * `chronos.admin.health()`: one round trip to every Mongo connection and every storage backend
 * the config uses, all at once, each timed and bounded by its own timeout, so a backend that is
 * down (or hangs) is reported within the bound instead of holding the report. Failures are
 * reported, not thrown, so a dashboard can show them all.
 */
import type { ParsedChronosConfig } from '../config/schema.js';
import type { ConnectionPool } from '../connections/connection-pool.js';
import { ValidationError } from '../errors.js';
import { storageDatabases } from '../config/each-database.js';
import { listDatabaseTargets } from '../router/database-targets.js';
import { bucketOfEntry } from '../storage/bucket-name.js';

/** How long one probe may take before its backend is reported not ok (ms), unless `timeoutMs` says. */
const DEFAULT_HEALTH_TIMEOUT_MS = 5_000;

/** Options of {@link checkHealth}. */
export interface HealthOptions {
  /** How long each probe may take before its backend is reported not ok (ms); default {@link DEFAULT_HEALTH_TIMEOUT_MS}. */
  timeoutMs?: number;
}
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

/** Runs `probe`, timed; a failure, or no answer within `timeoutMs`, is reported as not ok. */
async function timed(name: string, timeoutMs: number, probe: () => Promise<unknown>): Promise<BackendHealth> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // The probe is left to finish on its own after a timeout; its outcome no longer matters.
    const running = Promise.resolve().then(probe);
    running.catch(() => undefined);
    await Promise.race([running, deadline]);
    return { name, ok: true, latencyMs: elapsed() };
  } catch (error) {
    return { name, ok: false, latencyMs: elapsed(), error: redactSecrets(error instanceof Error ? error.message : String(error)) };
  } finally {
    clearTimeout(timer);
  }
}

/** The probe timeout of `options`; a ValidationError naming `timeoutMs` unless it is a positive number of ms. */
function probeTimeout(options: HealthOptions): number {
  const { timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS } = options;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw ValidationError.at(['timeoutMs'], `must be a positive number of milliseconds; got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

/** One bucket per storage connection, to probe it with. */
function bucketsByConnection(config: ParsedChronosConfig): Map<string | undefined, string> {
  const byConn = new Map<string | undefined, string>();
  for (const { settings: entry } of storageDatabases(config)) {
    const bucket = bucketOfEntry(entry);
    if (config.localStorage?.enabled) {
      if (!byConn.has(undefined)) byConn.set(undefined, bucket);
      continue;
    }
    const refs = entry.spaceConnRef === undefined ? [] : Array.isArray(entry.spaceConnRef) ? entry.spaceConnRef : [entry.spaceConnRef];
    for (const ref of refs) if (!byConn.has(ref)) byConn.set(ref, bucket);
  }
  return byConn;
}

/**
 * Pings every configured Mongo connection and storage backend, all in parallel, each bounded by
 * `options.timeoutMs`. Throws only a ValidationError for a bad `timeoutMs`.
 */
export async function checkHealth(config: ParsedChronosConfig, pool: ConnectionPool, options: HealthOptions = {}): Promise<HealthReport> {
  const timeoutMs = probeTimeout(options);
  const uris = new Map<string, string>();
  for (const target of listDatabaseTargets(config)) if (!uris.has(target.dbConnRef)) uris.set(target.dbConnRef, target.mongoUri);
  const mongo = Promise.all(
    [...uris].map(([name, uri]) => timed(name, timeoutMs, () => pool.mongoClient(uri).db('admin').command({ ping: 1 }))),
  );
  const storage = Promise.all(
    [...bucketsByConnection(config)].map(([connRef, bucket]) =>
      timed(connRef ?? 'localStorage', timeoutMs, async () => {
        // A HEAD of a key that never exists: proves address and credentials, creates nothing.
        await pool.objectStore(connRef).head(bucket, '.chronos-health-probe');
      }),
    ),
  );
  const report = { mongo: await mongo, storage: await storage, checkedAt: new Date().toISOString() };
  return { ok: [...report.mongo, ...report.storage].every((b) => b.ok), ...report };
}
