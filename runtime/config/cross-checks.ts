/**
 * Checks that span several parts of a parsed config: references between sections, duplicates
 * within a tier, bucket and database names, and the two ways of declaring counter rules. Each problem is
 * reported with its path and the fix.
 */
import { isChronosError, type ErrorIssue } from '../errors.js';
import type { ParsedChronosConfig } from './schema.js';
import { checkDatabaseNames } from './database-names.js';
import { eachDatabase, storageDatabases, type ConfigPath, type ConfiguredDatabase, type DatabaseSettings } from './each-database.js';
import { DATABASE_VOCABULARY, TIER_VOCABULARY } from './vocabulary.js';
import { checkSharedMongoDatabases, checkSharedStorage } from './shared-placement.js';
import { assertAzureContainerName, assertS3BucketName } from '../storage/bucket-name.js';
import { isAzureEndpoint } from '../storage/create-object-store.js';

/** One database of the config (any type and tier) as its settings and its path. */
export interface DatabaseEntry extends DatabaseSettings {
  path: ConfigPath;
}

function listKnown(names: string[]): string {
  return names.length === 0 ? 'none are configured' : `known: ${names.join(', ')}`;
}

function asList(refs: string | string[]): string[] {
  return Array.isArray(refs) ? refs : [refs];
}

/** Databases of the walk as flat entries: their settings and their path. */
function entriesOf(databases: Iterable<ConfiguredDatabase>): DatabaseEntry[] {
  return [...databases].map((db) => ({ path: db.path, ...db.settings }));
}

function checkReferences(config: ParsedChronosConfig, issues: ErrorIssue[]): void {
  const dbNames = Object.keys(config.dbConnections);
  const spaceNames = Object.keys(config.spacesConnections);
  const localEnabled = config.localStorage?.enabled === true;

  for (const { path, settings: entry, databaseType } of eachDatabase(config)) {
    asList(entry.dbConnRef).forEach((ref, i) => {
      if (!config.dbConnections[ref]) {
        const at = Array.isArray(entry.dbConnRef) ? [...path, 'dbConnRef', i] : [...path, 'dbConnRef'];
        issues.push({ path: at, message: `unknown connection "${ref}" (${listKnown(dbNames)})` });
      }
    });
    if (!DATABASE_VOCABULARY[databaseType].storage) continue;
    if (entry.spaceConnRef === undefined) {
      if (!localEnabled) {
        issues.push({
          path: [...path, 'spaceConnRef'],
          message: `is required unless localStorage.enabled is true (${listKnown(spaceNames)})`,
        });
      }
    } else {
      asList(entry.spaceConnRef).forEach((ref, i) => {
        if (!config.spacesConnections[ref]) {
          const at = Array.isArray(entry.spaceConnRef) ? [...path, 'spaceConnRef', i] : [...path, 'spaceConnRef'];
          issues.push({ path: at, message: `unknown connection "${ref}" (${listKnown(spaceNames)})` });
        }
      });
    }
    if (entry.bucket === undefined && !localEnabled) {
      issues.push({ path: [...path, 'bucket'], message: 'is required when payloads go to object storage' });
    }
    if (entry.bucket !== undefined) checkBucket(config, { path, ...entry }, issues);
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

/** Two list entries of one tier with the same scope (`domain`, `tenantId`) are refused at the later one. */
function checkDuplicates(config: ParsedChronosConfig, issues: ErrorIssue[]): void {
  const first = new Map<string, number | string>();
  for (const db of eachDatabase(config)) {
    const what = TIER_VOCABULARY[db.tier].scopeKey;
    if (what === null) continue;
    const value = db[what] as string;
    const index = db.path[db.path.length - 1] as number;
    const seenKey = JSON.stringify([db.databaseType, db.tier, value]);
    const earlier = first.get(seenKey);
    if (earlier === undefined) first.set(seenKey, index);
    else issues.push({ path: [...db.path, what], message: `duplicate ${what} "${value}" (already at index ${earlier})` });
  }
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
  issues.push(...checkSharedStorage(config, entriesOf(storageDatabases(config))), ...checkSharedMongoDatabases(config, entriesOf(eachDatabase(config))));
  return issues;
}
