/**
 * Checks that span several parts of a parsed config: references between sections, duplicates
 * within a tier, bucket and database names, and the two ways of declaring counter rules. Each problem is
 * reported with its path and the fix.
 */
import { isChronosError, type ErrorIssue } from '../errors.js';
import type { ParsedChronosConfig } from './schema.js';
import { checkDatabaseNames } from './database-names.js';
import { checkSharedMongoDatabases, checkSharedStorage } from './shared-placement.js';
import { assertAzureContainerName, assertS3BucketName } from '../storage/bucket-name.js';
import { isAzureEndpoint } from '../storage/create-object-store.js';

type Path = Array<string | number>;

/** One versioned database of the config (any tier, runtime or logs) with its path. */
export interface DatabaseEntry {
  path: Path;
  dbConnRef: string | string[];
  spaceConnRef?: string | string[] | undefined;
  bucket?: string | undefined;
  keyPrefix?: string | undefined;
  dbName: string;
  analyticsDbName?: string | undefined;
}

function listKnown(names: string[]): string {
  return names.length === 0 ? 'none are configured' : `known: ${names.join(', ')}`;
}

function asList(refs: string | string[]): string[] {
  return Array.isArray(refs) ? refs : [refs];
}

/** Every database entry that routes to Mongo and storage, with its path in the config. */
function databaseEntries(config: ParsedChronosConfig): DatabaseEntry[] {
  const entries: DatabaseEntry[] = [];
  const { databases } = config;
  for (const type of ['metadata', 'knowledge'] as const) {
    const tiered = databases[type];
    if (!tiered) continue;
    if (tiered.genericDatabase) entries.push({ path: ['databases', type, 'genericDatabase'], ...tiered.genericDatabase });
    tiered.domainsDatabases.forEach((db, i) => entries.push({ path: ['databases', type, 'domainsDatabases', i], ...db }));
    tiered.tenantDatabases.forEach((db, i) => entries.push({ path: ['databases', type, 'tenantDatabases', i], ...db }));
  }
  databases.runtime?.tenantDatabases.forEach((db, i) => entries.push({ path: ['databases', 'runtime', 'tenantDatabases', i], ...db }));
  if (databases.logs) entries.push({ path: ['databases', 'logs'], ...databases.logs });
  return entries;
}

function checkReferences(config: ParsedChronosConfig, issues: ErrorIssue[]): void {
  const dbNames = Object.keys(config.dbConnections);
  const spaceNames = Object.keys(config.spacesConnections);
  const localEnabled = config.localStorage?.enabled === true;

  for (const entry of databaseEntries(config)) {
    asList(entry.dbConnRef).forEach((ref, i) => {
      if (!config.dbConnections[ref]) {
        const at = Array.isArray(entry.dbConnRef) ? [...entry.path, 'dbConnRef', i] : [...entry.path, 'dbConnRef'];
        issues.push({ path: at, message: `unknown connection "${ref}" (${listKnown(dbNames)})` });
      }
    });
    if (entry.spaceConnRef === undefined) {
      if (!localEnabled) {
        issues.push({
          path: [...entry.path, 'spaceConnRef'],
          message: `is required unless localStorage.enabled is true (${listKnown(spaceNames)})`,
        });
      }
    } else {
      asList(entry.spaceConnRef).forEach((ref, i) => {
        if (!config.spacesConnections[ref]) {
          const at = Array.isArray(entry.spaceConnRef) ? [...entry.path, 'spaceConnRef', i] : [...entry.path, 'spaceConnRef'];
          issues.push({ path: at, message: `unknown connection "${ref}" (${listKnown(spaceNames)})` });
        }
      });
    }
    if (entry.bucket === undefined && !localEnabled) {
      issues.push({ path: [...entry.path, 'bucket'], message: 'is required when payloads go to object storage' });
    }
    if (entry.bucket !== undefined) checkBucket(config, entry, issues);
  }

  for (const type of ['messaging', 'identities'] as const) {
    const db = config.databases[type];
    if (db && !config.dbConnections[db.dbConnRef]) {
      issues.push({ path: ['databases', type, 'dbConnRef'], message: `unknown connection "${db.dbConnRef}" (${listKnown(dbNames)})` });
    }
  }
}

function checkBucket(config: ParsedChronosConfig, entry: DatabaseEntry, issues: ErrorIssue[]): void {
  const refs = entry.spaceConnRef === undefined ? [] : asList(entry.spaceConnRef);
  const azure = refs.some((ref) => {
    const conn = config.spacesConnections[ref];
    return conn !== undefined && (conn.kind === 'azure' || (conn.kind === undefined && isAzureEndpoint(conn.endpoint)));
  });
  try {
    if (azure) assertAzureContainerName(entry.bucket);
    else assertS3BucketName(entry.bucket);
  } catch (error) {
    if (!isChronosError(error) || !('issues' in error)) throw error;
    for (const issue of error.issues as ErrorIssue[]) issues.push({ path: [...entry.path, 'bucket'], message: issue.message });
  }
}

function checkDuplicates(config: ParsedChronosConfig, issues: ErrorIssue[]): void {
  const seen = (path: Path, values: string[], what: string): void => {
    const first = new Map<string, number>();
    values.forEach((value, i) => {
      const earlier = first.get(value);
      if (earlier === undefined) first.set(value, i);
      else issues.push({ path: [...path, i, what], message: `duplicate ${what} "${value}" (already at index ${earlier})` });
    });
  };
  for (const type of ['metadata', 'knowledge'] as const) {
    const tiered = config.databases[type];
    if (!tiered) continue;
    seen(['databases', type, 'domainsDatabases'], tiered.domainsDatabases.map((d) => d.domain), 'domain');
    seen(['databases', type, 'tenantDatabases'], tiered.tenantDatabases.map((d) => d.tenantId), 'tenantId');
  }
  const runtime = config.databases.runtime;
  if (runtime) seen(['databases', 'runtime', 'tenantDatabases'], runtime.tenantDatabases.map((d) => d.tenantId), 'tenantId');
}

function checkCounterRules(config: ParsedChronosConfig, issues: ErrorIssue[]): void {
  const topLevel = config.counterRules?.rules;
  const nested = config.analytics?.counterRules;
  // Both blocks default to no rules, so only two non-empty, different sets conflict.
  const bothSet = (topLevel?.length ?? 0) > 0 && (nested?.length ?? 0) > 0;
  if (bothSet && JSON.stringify(topLevel) !== JSON.stringify(nested)) {
    issues.push({
      path: ['analytics', 'counterRules'],
      message: 'differs from counterRules.rules: set the rules in one place (both are accepted, but not two different sets)',
    });
  }
}

function checkCollectionMaps(config: ParsedChronosConfig, issues: ErrorIssue[]): void {
  for (const [name, map] of Object.entries(config.collectionMaps)) {
    const indexed = new Set(map.indexedProps);
    for (const [i, prop] of (map.validation?.requiredIndexed ?? []).entries()) {
      if (map.indexedProps.length > 0 && !indexed.has(prop)) {
        issues.push({
          path: ['collectionMaps', name, 'validation', 'requiredIndexed', i],
          message: `"${prop}" is not an indexed prop of ${name} (indexed: ${map.indexedProps.join(', ')})`,
        });
      }
    }
  }
}

/** All cross-section problems of a parsed config; empty when it is consistent. */
export function crossCheckConfig(config: ParsedChronosConfig): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  checkReferences(config, issues);
  checkDuplicates(config, issues);
  checkCounterRules(config, issues);
  checkCollectionMaps(config, issues);
  issues.push(...checkDatabaseNames(config));
  issues.push(...checkSharedStorage(config, databaseEntries(config)), ...checkSharedMongoDatabases(config, databaseEntries(config)));
  return issues;
}
