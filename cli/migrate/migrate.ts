/**
 * `chronos migrate`: makes the indexes of every configured database match the declarations.
 * Returns a result per index (Kysely's `Migrator` style) instead of throwing half-way.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { MongoClient, MongoServerError, type Db, type MongoClientOptions } from 'mongodb';
import { subsystemIndexes } from '../../runtime/mongo/index-registry.js';
import type { IndexKey, IndexSpec } from '../../runtime/mongo/index-spec.js';
import { indexStore } from '../../runtime/mongo/stores.js';
import { collectionIndexes } from '../../runtime/schema/collection-indexes.js';
import type { AnyCollectionDefinition } from '../../runtime/schema/define-collection.js';
import { planIndexes, type LiveIndex, type PlannedIndex } from './index-diff.js';
import { LOCK_COLLECTION, acquireMigrateLock, extendMigrateLock, releaseMigrateLock } from './store/migrate-lock.js';
import type { DatabaseTarget } from './targets.js';
import type { MetaBackfillResult } from '../../runtime/instance/admin.js';

/**
 * The meta backfill of one database (`chronos.admin.backfillMeta` limited to it), run after
 * the new indexes exist and before the old ones are dropped.
 */
export type BackfillRunner = (dbName: string, dryRun: boolean, onProgress?: (message: string) => void) => Promise<MetaBackfillResult[]>;

/** What to migrate and how. */
export interface MigrateOptions {
  targets: readonly DatabaseTarget[];
  collections: readonly AnyCollectionDefinition[];
  /** Plan only: read the live indexes, change nothing, take no lock. */
  dryRun?: boolean;
  /** Also drop indexes Chronos did not create (on Chronos collections only). */
  dropExtra?: boolean;
  /** Who holds the lock (default: host, pid and a random id). */
  owner?: string;
  /** Lock lifetime, extended after every index; default 10 minutes. */
  lockTtlMs?: number;
  /** Called as work progresses, for long runs. */
  onProgress?: (message: string) => void;
  /** Plans (dry run) or runs the meta backfill of each database; none when absent. */
  backfill?: BackfillRunner;
  /** Options of the client for a connection string (the runtime's: a down server fails in seconds); none when absent. */
  clientOptions?: (mongoUri: string) => MongoClientOptions;
  /**
   * What the subsystem indexes depend on in the configuration: the fallback queue's dead-letter
   * collection (when the queue is enabled; its indexes go to every versioned database) and the
   * indexed props of an identities collection (its indexes go to every identities collection
   * found in the identities database). Without it, neither is planned.
   */
  subsystems?: MigrateSubsystems;
}

/** See {@link MigrateOptions.subsystems}. */
export interface MigrateSubsystems {
  fallbackDeadLetterCollection?: string;
  identityIndexedProps?: (collection: string) => readonly string[];
}

/** What happened to one index. */
export type IndexStatus = 'created' | 'dropped' | 'changed' | 'unchanged' | 'reported' | 'planned' | 'failed' | 'skipped';

/** One index's line in the result. */
export interface IndexResult extends PlannedIndex {
  status: IndexStatus;
  error?: string;
}

/** The outcome for one physical database (targets sharing a database are migrated once). */
export interface DatabaseResult {
  /** Connection reference and database name (never the URI: it may hold credentials). */
  dbConnRef: string;
  dbName: string;
  /** The routes that lead here, e.g. `runtime/tenant acme`. */
  targets: string[];
  lock: 'acquired' | 'busy' | 'dry-run' | 'failed';
  error?: string;
  indexes: IndexResult[];
  /** The meta backfills this database needed (planned on a dry run, run otherwise). */
  backfills?: MetaBackfillResult[];
}

/** The outcome of a run: `ok` is false when any index failed or a database was locked or unreachable. */
export interface MigrateResult {
  ok: boolean;
  dryRun: boolean;
  databases: DatabaseResult[];
}

interface DatabaseGroup {
  mongoUri: string;
  dbConnRef: string;
  dbName: string;
  targets: DatabaseTarget[];
}

function label(target: DatabaseTarget): string {
  const scope = target.tenantId ?? target.domain;
  return `${target.databaseType}/${target.tier}${scope ? ` ${scope}` : ''}`;
}

function groupTargets(targets: readonly DatabaseTarget[]): DatabaseGroup[] {
  const groups = new Map<string, DatabaseGroup>();
  for (const target of targets) {
    const id = `${target.mongoUri}\u0000${target.dbName}`;
    const group = groups.get(id) ?? { mongoUri: target.mongoUri, dbConnRef: target.dbConnRef, dbName: target.dbName, targets: [] };
    group.targets.push(target);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** The identities collections of a database: every collection but the claims (`<collection>_claims`) and the server's own. */
function identityCollectionsOf(existing: readonly string[], subsystems: MigrateSubsystems): Array<{ collection: string; indexedProps: readonly string[] }> {
  const names = new Set(existing);
  return existing
    .filter((name) => !name.startsWith('system.') && !(name.endsWith('_claims') && names.has(name.slice(0, -'_claims'.length))) && name !== LOCK_COLLECTION)
    .sort()
    .map((collection) => ({ collection, indexedProps: subsystems.identityIndexedProps?.(collection) ?? [] }));
}

/** Indexes the database's own subsystems need (index registry), whatever collections are declared. */
function subsystemIndexesOf(target: DatabaseTarget, subsystems: MigrateSubsystems, existing: readonly string[]): IndexSpec[] {
  return subsystemIndexes(target.databaseType, {
    ...(subsystems.fallbackDeadLetterCollection !== undefined && { fallbackDeadLetterCollection: subsystems.fallbackDeadLetterCollection }),
    ...(target.databaseType === 'identities' && { identityCollections: identityCollectionsOf(existing, subsystems) }),
  });
}

function declaredFor(group: DatabaseGroup, collections: readonly AnyCollectionDefinition[], subsystems: MigrateSubsystems, existing: readonly string[]): IndexSpec[] {
  const placed = collections.filter((c) => group.targets.some((t) => c.locations.some((l) => l.databaseType === t.databaseType && l.tier === t.tier)));
  const specs = [...group.targets.flatMap((t) => subsystemIndexesOf(t, subsystems, existing)), ...placed.flatMap((c) => collectionIndexes(c).indexes)];
  const seen = new Set<string>();
  return specs.filter((s) => {
    const id = `${s.collection}\u0000${s.name}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * Live indexes of the collections that have declared indexes, and only those: other collections
 * in the same database (another subsystem's, the application's own) are never looked at, let
 * alone changed.
 */
async function liveIndexes(db: Db, declared: readonly IndexSpec[], collectionNames: readonly string[]): Promise<Map<string, LiveIndex[]>> {
  const existing = new Set(collectionNames);
  const relevant = [...new Set(declared.map((spec) => spec.collection))].filter((name) => existing.has(name)).sort();
  const live = new Map<string, LiveIndex[]>();
  const indexes = indexStore(db);
  for (const name of relevant) live.set(name, (await indexes.list(name)) as LiveIndex[]);
  return live;
}

async function applyOne(db: Db, step: PlannedIndex): Promise<IndexStatus> {
  const indexes = indexStore(db);
  const create = () => indexes.create({ collection: step.collection, name: step.name, key: step.key as IndexKey, ...(step.unique ? { unique: true } : {}) });
  switch (step.action) {
    case 'create':
      await create();
      return 'created';
    case 'drop':
      await indexes.drop(step.collection, step.name);
      return 'dropped';
    case 'change':
      await indexes.drop(step.collection, step.name);
      await create();
      return 'changed';
    case 'keep':
      return 'unchanged';
    case 'foreign':
      return 'reported';
  }
}

function errorText(error: unknown): string {
  return error instanceof MongoServerError ? `${error.codeName ?? error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
}

async function migrateDatabase(db: Db, group: DatabaseGroup, options: MigrateOptions, owner: string): Promise<DatabaseResult> {
  const result: DatabaseResult = { dbConnRef: group.dbConnRef, dbName: group.dbName, targets: group.targets.map(label), lock: options.dryRun ? 'dry-run' : 'acquired', indexes: [] };
  const ttl = options.lockTtlMs ?? 600_000;
  if (!options.dryRun) {
    const lock = await acquireMigrateLock(db, owner, ttl);
    if (!lock.acquired) {
      result.lock = 'busy';
      result.error = `another migrate holds the lock: ${lock.holder}`;
      return result;
    }
  }
  try {
    const existing = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const declared = declaredFor(group, options.collections, options.subsystems ?? {}, existing);
    const plan = planIndexes(declared, await liveIndexes(db, declared, existing), options.dropExtra === true);
    // New indexes first, then the backfill that fills them, then the drops: a filter on an old
    // indexed prop keeps its index until the heads carry the new one.
    const ordered = [...plan.filter((step) => step.action !== 'drop'), ...plan.filter((step) => step.action === 'drop')];
    let backfilled = false;
    for (const step of ordered) {
      if (step.action === 'drop' && !backfilled) {
        backfilled = true;
        await backfillDatabase(db, group, options, owner, ttl, result);
      }
      if (options.dryRun) {
        result.indexes.push({ ...step, status: step.action === 'keep' ? 'unchanged' : step.action === 'foreign' ? 'reported' : 'planned' });
        continue;
      }
      try {
        const status = await applyOne(db, step);
        result.indexes.push({ ...step, status });
        if (status !== 'unchanged' && status !== 'reported') {
          options.onProgress?.(`  ${status} ${step.collection}.${step.name}`);
          await extendMigrateLock(db, owner, ttl);
        }
      } catch (error) {
        result.indexes.push({ ...step, status: 'failed', error: errorText(error) });
        options.onProgress?.(`  FAILED ${step.collection}.${step.name}: ${errorText(error)}`);
      }
    }
    if (!backfilled) await backfillDatabase(db, group, options, owner, ttl, result);
  } finally {
    if (!options.dryRun) await releaseMigrateLock(db, owner);
  }
  return result;
}

async function backfillDatabase(db: Db, group: DatabaseGroup, options: MigrateOptions, owner: string, ttl: number, result: DatabaseResult): Promise<void> {
  if (!options.backfill) return;
  try {
    result.backfills = await options.backfill(group.dbName, options.dryRun === true, options.onProgress);
  } catch (error) {
    result.error = `meta backfill: ${errorText(error)}`;
  }
  if (!options.dryRun) await extendMigrateLock(db, owner, ttl);
}

/**
 * Diffs and applies the declared indexes on every database the targets name. Databases are done
 * one after another; a failure is recorded and the run goes on, so the result says what was done.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
  const groups = groupTargets(options.targets);
  const clients = new Map<string, MongoClient>();
  const databases: DatabaseResult[] = [];
  try {
    for (const [i, group] of groups.entries()) {
      options.onProgress?.(`[${i + 1}/${groups.length}] ${group.dbConnRef}/${group.dbName} (${group.targets.map(label).join(', ')})`);
      try {
        let client = clients.get(group.mongoUri);
        if (!client) {
          client = new MongoClient(group.mongoUri, options.clientOptions?.(group.mongoUri));
          clients.set(group.mongoUri, client);
        }
        databases.push(await migrateDatabase(client.db(group.dbName), group, options, owner));
      } catch (error) {
        databases.push({ dbConnRef: group.dbConnRef, dbName: group.dbName, targets: group.targets.map(label), lock: 'failed', error: errorText(error), indexes: [] });
      }
    }
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
  const ok = databases.every((d) => !d.error && d.indexes.every((i) => i.status !== 'failed') && (d.backfills ?? []).every((b) => (b.report?.failed.length ?? 0) === 0));
  return { ok, dryRun: options.dryRun === true, databases };
}
