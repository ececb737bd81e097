/**
 * Refuses configs in which two databases would write to the same place: the same object-storage
 * location without distinct key prefixes (their records with equal ids would overwrite, read and
 * erase each other), or the same database name on the same MongoDB server (their collections
 * would mix). Places are compared by where they are (normalised endpoints, hosts, derived local
 * folders), not by connection names, since two connection entries can name one server.
 */
import { formatIssuePath, type ErrorIssue } from '../errors.js';
import { isAzureEndpoint } from '../storage/create-object-store.js';
import { bucketOfEntry } from '../storage/bucket-name.js';
import type { DatabaseEntry } from './cross-checks.js';
import type { ParsedChronosConfig } from './schema.js';
import { mongoServerHosts, storageEndpointKey } from './server-addresses.js';

type Path = Array<string | number>;

/** One place an entry's objects can go (an entry listing several connections has several). */
interface Place {
  /** Equal for two places that are one location (prefix aside). */
  key: string;
  /** The location in words, for the message. */
  words: string;
}

function asList(refs: string | string[]): string[] {
  return Array.isArray(refs) ? refs : [refs];
}

function where(path: Path): string {
  return formatIssuePath(path);
}

/**
 * Where an entry's objects go. With `localStorage.enabled` every database uses the local folder
 * (whatever its `spaceConnRef`): the bucket folder, compared ignoring case because common
 * filesystems do. An S3 bucket is one per service whatever the region or account that names it;
 * an Azure container is one per account.
 */
function placesOf(config: ParsedChronosConfig, entry: DatabaseEntry): Place[] {
  const bucket = bucketOfEntry(entry);
  if (config.localStorage?.enabled) {
    const derived = entry.bucket === undefined ? ` (derived from dbName ${JSON.stringify(entry.dbName)})` : '';
    return [{ key: `local\u0000${bucket.toLowerCase()}`, words: `the local folder ${JSON.stringify(bucket)}${derived} under localStorage.basePath` }];
  }
  if (entry.spaceConnRef === undefined || entry.bucket === undefined) return [];
  const places: Place[] = [];
  for (const ref of asList(entry.spaceConnRef)) {
    const conn = config.spacesConnections[ref];
    if (!conn) continue;
    const endpoint = storageEndpointKey(conn.endpoint);
    if (conn.kind === 'azure' || (conn.kind === undefined && isAzureEndpoint(conn.endpoint))) {
      places.push({ key: `azure\u0000${endpoint}\u0000${conn.accessKey.toLowerCase()}\u0000${entry.bucket}`, words: `Azure container ${JSON.stringify(entry.bucket)} of account ${JSON.stringify(conn.accessKey)} at ${endpoint}` });
    } else {
      places.push({ key: `s3\u0000${endpoint}\u0000${entry.bucket}`, words: `bucket ${JSON.stringify(entry.bucket)} at ${endpoint}` });
    }
  }
  return places;
}

/** Why two entries' keys can meet at one place, or null when their key prefixes keep them apart. */
function prefixClash(a: DatabaseEntry, b: DatabaseEntry): string | null {
  if (a.keyPrefix === undefined && b.keyPrefix === undefined) return 'neither has a keyPrefix, so a record id in one collection is the same key in both';
  if (a.keyPrefix === undefined || b.keyPrefix === undefined) {
    const [bare, prefixed] = a.keyPrefix === undefined ? [a, b] : [b, a];
    return `${where(bare.path)} has no keyPrefix, so its keys start with a collection name, which the keyPrefix ${JSON.stringify(prefixed.keyPrefix)} of ${where(prefixed.path)} can equal`;
  }
  if (a.keyPrefix.toLowerCase() === b.keyPrefix.toLowerCase()) return `both have keyPrefix ${JSON.stringify(b.keyPrefix)} (compared ignoring case, as local folders on common filesystems are)`;
  return null;
}

/** `name`, or `name_2` when it is one of `taken` (ignoring case); cut to the 63 characters a prefix may have. */
function freeName(name: string, taken: Array<string | undefined>): string {
  const used = new Set(taken.filter((t) => t !== undefined).map((t) => t.toLowerCase()));
  return (used.has(name.toLowerCase()) ? `${name.slice(0, 61)}_2` : name).slice(0, 63);
}

/** `for example keyPrefix: '<dbName>' at ...` for each of the two entries that needs a (new) prefix. */
function fixText(later: DatabaseEntry, earlier: DatabaseEntry): string {
  const sameGiven = later.keyPrefix !== undefined && later.keyPrefix.toLowerCase() === earlier.keyPrefix?.toLowerCase();
  const examples: string[] = [];
  let laterName: string | undefined;
  if (later.keyPrefix === undefined || sameGiven) {
    laterName = freeName(later.dbName, [earlier.keyPrefix]);
    examples.push(`keyPrefix: '${laterName}' at ${where(later.path)}`);
  }
  if (earlier.keyPrefix === undefined) {
    examples.push(`keyPrefix: '${freeName(earlier.dbName, [laterName ?? later.keyPrefix])}' at ${where(earlier.path)}`);
  }
  return `give each a distinct keyPrefix (for example ${examples.join(' and ')}) or its own bucket`;
}

/**
 * Pairs of storage databases (`entries`: the databases that keep payloads in object storage)
 * whose objects would land in the same place (same location, and key prefixes that do not
 * separate them), each reported at the later entry with the earlier one's path and the fix.
 */
export function checkSharedStorage(config: ParsedChronosConfig, entries: readonly DatabaseEntry[]): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const places = entries.map((entry) => placesOf(config, entry));
  entries.forEach((later, j) => {
    for (let i = 0; i < j; i++) {
      const earlier = entries[i] as DatabaseEntry;
      const shared = (places[j] as Place[]).find((p) => (places[i] as Place[]).some((q) => q.key === p.key));
      if (!shared) continue;
      const clash = prefixClash(earlier, later);
      if (clash === null) continue;
      issues.push({
        path: later.path,
        message:
          `stores its objects in the same place as ${where(earlier.path)} (${shared.words}) and ${clash}: ` +
          `the two databases would overwrite, read and erase each other's records; ${fixText(later, earlier)}`,
      });
      return;
    }
  });
  return issues;
}

/** One MongoDB database of the config: where its name is set, and the servers it can be on. */
interface MongoDatabase {
  path: Path;
  dbName: string;
  hosts: Set<string>;
  /** Analytics databases may be shared by runtime tenants (their documents are keyed by tenant and database). */
  analytics: boolean;
}

function hostsOf(config: ParsedChronosConfig, refs: string | string[]): Set<string> {
  const hosts = new Set<string>();
  for (const ref of asList(refs)) {
    const conn = config.dbConnections[ref];
    if (conn) for (const host of mongoServerHosts(conn.mongoUri)) hosts.add(host);
  }
  return hosts;
}

function mongoDatabases(config: ParsedChronosConfig, entries: readonly DatabaseEntry[]): MongoDatabase[] {
  const found: MongoDatabase[] = [];
  for (const entry of entries) {
    const hosts = hostsOf(config, entry.dbConnRef);
    found.push({ path: [...entry.path, 'dbName'], dbName: entry.dbName, hosts, analytics: false });
    if (entry.analyticsDbName !== undefined) {
      found.push({ path: [...entry.path, 'analyticsDbName'], dbName: entry.analyticsDbName, hosts, analytics: true });
    }
  }
  return found;
}

/**
 * Pairs of databases (`entries`: every database of the config) with one name (compared ignoring
 * case, as MongoDB does when it creates one) on one MongoDB server (any host in common), each
 * reported at the later entry with the earlier one's path. Runtime tenants may share an
 * `analyticsDbName`: every counter and result document there is keyed by tenant and database.
 */
export function checkSharedMongoDatabases(config: ParsedChronosConfig, entries: readonly DatabaseEntry[]): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const dbs = mongoDatabases(config, entries);
  dbs.forEach((later, j) => {
    for (let i = 0; i < j; i++) {
      const earlier = dbs[i] as MongoDatabase;
      if (earlier.dbName.toLowerCase() !== later.dbName.toLowerCase() || (earlier.analytics && later.analytics)) continue;
      const host = [...later.hosts].find((h) => earlier.hosts.has(h));
      if (host === undefined) continue;
      issues.push({
        path: later.path,
        message:
          `names database ${JSON.stringify(later.dbName)} on the MongoDB server ${host}, as ${where(earlier.path)} does ` +
          `(${JSON.stringify(earlier.dbName)}; names are compared ignoring case): their collections would mix; give each its own dbName`,
      });
      return;
    }
  });
  return issues;
}
